"""Auteur in Slack: a slack-bolt app over the same engine as the studio.

server.py       `auteur slack`: build_app, the HTTP endpoint (POST /slack/events) and Socket Mode
listeners.py    the ack path: each request acknowledged at once, seen-before ones ignored, handed on as a turn
studio.py       one engine Session per thread (or channel), each turn on a background thread
replies.py      events sent back: into the thread or through response_url, files uploaded, answers marked
messages.py     Slack's text both ways: mentions and command text in, mrkdwn and Block Kit out
files.py        a shared screenplay fetched and checked by the one upload policy; which made files go out
state.py        what survives a restart: each channel's and thread's project, requests already run
credentials.py  the tokens and signing secret Slack needs, and the refusal to start without them
"""

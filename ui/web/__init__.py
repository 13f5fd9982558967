"""The studio's face in Chainlit: engine events in, Chainlit messages, steps and elements out.

hooks.py      the Chainlit hooks (what `auteur ui` tells Chainlit to run), each a few lines
server.py     `auteur ui`: prepares Chainlit's app folder and serves the hooks
sign_in.py    who may come in (AUTEUR_USERS, AUTEUR_PASSWORD, a proxy's header) and their workspace
passwords.py  checking a typed password against the configured one
chat.py       one browser chat: its engine session, and what a person does in it
chat_settings.py  the settings panel of a chat (project, model profile, quality tier, auto-approve)
runs.py       a turn in a worker thread that finishes even when the page is closed or refreshed
page.py       what one chat's page shows: messages, buttons, agent steps, render bars, the task list
presentation.py  events as Markdown and files as elements; starters and the / command menu
uploads.py    an uploaded file read and checked by the one upload policy (studio/uploads.py)
"""

"""The conversation engine: a person's turn in, events out.

events.py        the vocabulary: Turn (what a person did), Event (what the crew answers)
session.py       Session: greet(), handle(turn) — one turn at a time per project
conversation.py  what a conversation holds (project, focus, crew, memory, renderer, recent turns)
routing.py       where free text goes (patterns, then the Producer's intent classifier)
stage_flow.py    next stage, draft, approve, revise, variants, run until a stage
shot_requests.py "redo shot 3 as …", "show me shot 1.3 …", renders asked for in words
render_gate.py   a batch's estimate, the yes it waits for, and the run with its progress
uploads.py       a screenplay or a reference image brought into the conversation
describe.py      the Producer's words about a stage and about what went stale
commands/        the command registry (/status, /approve …), one module per topic
"""

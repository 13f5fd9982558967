"""The patterns studio.vetting judges model text by: what is refused (addresses, paths, markup, code, assistant
talk, placeholders, role words, a film as the frame) and what cleaning takes off (labels, bullets, quotes).

Every pattern here is data for ``studio.vetting``; the rules in words are in that module's docstring."""

from __future__ import annotations

import re

# Parts around an apostrophe that are words only as such: English endings, French and Italian elisions, O'.
CLITICS = frozenset({"s", "t", "d", "ll", "re", "ve", "m", "l", "j", "n", "c", "qu", "o", "jusqu", "lorsqu",
                     "puisqu", "un", "dell", "nell", "all", "sull", "dall"})

# URL schemes written without '//' (javascript:alert(1), mailto:x@y, data:text/html,…): a scheme followed at once,
# with no space, by something. 'Note: she waits', '3:15' and 'Scene 2: night' are not schemes.
_SCHEMES = (r"javascript|vbscript|livescript|data|file|mailto|tel|sms|smsto|mms|callto|skype|facetime|ftp|ftps|"
            r"sftp|ssh|scp|telnet|ldap|ldaps|jndi|rmi|dns|gopher|news|nntp|irc|ircs|xmpp|magnet|blob|about|chrome|"
            r"chrome-extension|moz-extension|view-source|intent|market|itms|itms-apps|steam|slack|zoommtg|spotify|"
            r"smb|nfs|afp|git|svn|ws|wss|urn|jar|php|phar|tftp|bitcoin|"
            r"ms-[a-z-]+")
_CALL_NAMES = r"alert|eval|exec|execfile|compile|prompt|confirm|print|printf|require|fetch|setTimeout|setInterval|" \
              r"atob|btoa|unescape|escape|open|system|popen|spawn|getattr|setattr|__import__"
_SQL = (
    r"\bSELECT\s+(?:[^.!?;]{0,60}?\s)?FROM\b|\bDROP\s+(?:TABLE|DATABASE|SCHEMA|INDEX|VIEW|USER)\b|"
    r"\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bUPDATE\s+[\w.]+\s+SET\b|\bUNION\s+(?:ALL\s+)?SELECT\b|"
    r"\bTRUNCATE\s+TABLE\b|\b(?:CREATE|ALTER)\s+(?:TABLE|DATABASE|SCHEMA|INDEX|VIEW)\b|"  # in capitals, as written
    r"(?i:\bselect\s+(?:\*|distinct\b|count\s*\()[^.!?]{0,60}?\s*from\s+[\w.]+|"  # select * from t
    r"\b(?:drop|truncate|create|alter)\s+(?:table|database|schema)\s+(?:if\s+(?:not\s+)?exists\s+)?[\w.`\"]+\s*[;(]|"
    r"\binsert\s+into\s+[\w.]+\s*(?:\(|values\b)|\bdelete\s+from\s+[\w.]+\s*(?:;|where\b)|"
    r"\bupdate\s+[\w.]+\s+set\s+\w+\s*=|\bunion\s+(?:all\s+)?select\b)")

FINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("has an e-mail address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("has a web address", re.compile(r"\b[a-z][a-z0-9+.-]*://\S*|\bwww\.\S*", re.I)),
    ("has a web address", re.compile(rf"(?<![\w.-])(?:{_SCHEMES}):(?=[^\s:])\S*", re.I)),
    ("has a web address", re.compile(  # a bare domain, written in lower case as domains are
        r"\b[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:com|net|org|io|ai|co|uk|de|fr|es|it|nl|eu|info|biz|app|dev|ly|me|tv|us|"
        r"gov|edu|ru|cn|jp|xyz|site|online|html?|php)\b(?:/\S*)?")),
    ("has a web address", re.compile(r"\b[\w-]+(?:\.[A-Za-z][\w-]*)+/\S*")),  # a domain-like 'evil.example/p'
    ("has a file path", re.compile(
        r"(?:\.\.?[/\\])+\S*|(?<![\w.])/(?:[\w.-]+/)+[\w.-]*|(?<![\w.])/(?:etc|usr|bin|sbin|var|home|root|tmp|proc|"
        r"dev|opt|sys|boot|lib|mnt|srv|private|Users|Windows|System32)\b|\b[A-Za-z]:[\\/]\S*|\\\\[\w.$-]+\\\S*|"
        r"(?<!\w)~[/\\]\S*")),
    ("has markup", re.compile(
        r"<[/!?]?[A-Za-z][^<>]*>?|&(?:[a-z]+|#\d+|#x[0-9a-f]+);|!?\[[^\]]*\]\([^)]*\)|\*\*[^*]+\*\*|__[^_]+__|"
        r"(?:^|\s)#{1,6}\s", re.I)),
    ("has code", re.compile(
        r"```|`[^`]*`?|\{[^{}]*\}?|[{}]|\b[A-Za-z][A-Za-z0-9]*_\w+|\b\w+\(\s*\)|==|!=|=>|->|:=|=|"
        r'"\w+"\s*:|'
        r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\([^()]*\)|"  # a call on a dotted name: os.system('x'), console.log(1)
        r"\b[A-Za-z_]\w*\([^()]*[.'\"`;][^()]*\)|"  # a call with a dot or a quote inside: alert(document.cookie)
        r"\b[A-Za-z_]\w*\([^()]*\)\s*;|"  # a call as a statement: f(x);
        rf"\b(?:{_CALL_NAMES})\([^()]*\)|"  # the calls of injected scripts: alert(1), eval(x)
        r"\b(?:os|sys|subprocess|shutil|document|window|console|process|Runtime|System)\.[A-Za-z_]\w*|"
        r"\bdef\s+[A-Za-z_]\w*\s*\(|\bfunction(?:\s+[A-Za-z_]\w*)?\(|\blambda\s+[\w, ]*:|"
        r"(?:^|;\s*)import\s+[A-Za-z_][\w.]*\s*(?:;|$|,\s*[A-Za-z_]|\s+as\s+\w)|"  # import os; (not 'Import duties')
        r"\bfrom\s+[A-Za-z_][\w.]*\s+import\s+[\w*]|\$\(|\$\{|%[0-9A-Fa-f]{2}|\#include\b|"
        rf"{_SQL}")),
    ("has stray symbols", re.compile(r"[<>\[\]\\|^~]+")),
)

LABEL = re.compile(
    r"^(?:\*\*|__)?(?:title|name|character|person|place|location|setting|heading|scene|phrase|sentence|line|"
    r"dialogue|action|description|answer|response|output|result|prompt|visual|logline|summary|text|caption|mood|"
    r"tone|style|look|wardrobe|age|establishing|final answer)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*", re.I)
BULLET = re.compile(r"^(?:[-*•+]|\d{1,2}[.)])\s+")
QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "„": "“", "”": "”"}

_ASKED = (r"title|name|sentence|description|line|answer|response|version|list|example|prompt|shot|scene|json|"
          r"output|place|phrase|logline|dialogue|heading|caption|summary|synopsis|suggestion|option|idea|character|"
          r"visual|look|mood|wardrobe|rewrite|revision|breakdown|treatment|outline|story|script|screenplay")
TALK_ANY = re.compile(  # refused in every kind, a line of dialogue included
    r"\bas an ai\b|\bas an? (?:ai |large |helpful )?(?:language model|assistant|chatbot)\b|\blanguage model\b|"
    r"\bi(?: a|')m an ai\b|\bi hope (?:this|that) helps\b|\blet me know if\b|\bfeel free to\b|"
    rf"\bhere(?: i|')s (?:a|an|the|your|my|some) (?:\w+ ){{0,2}}(?:{_ASKED})s?\b|"
    rf"\bhere (?:is|are) (?:a|an|the|your|my|some) (?:\w+ ){{0,2}}(?:{_ASKED})s?\b|"
    r"\bi(?: a|')m sorry,? but\b|\bi (?:cannot|can't|can not) (?:help|assist|provide|fulfil|create|write|generate)|"
    r"\b(?:it|this) (?:seems|looks|appears) (?:like |that )?you\b.*\byour (?:characters?|script|screenplay|scenes?|"
    r"shots?|prompt|request|question|input|brief|logline|story|film)\b",
    re.I)
TALK_START = re.compile(  # refused at the start of any kind but a line ("Sure." and "I'm sorry." are speech)
    r"^(?:sure|certainly|of course|okay|ok|absolutely|great question|i(?: a|')m sorry|i apologi[sz]e|"
    r"it (?:seems|looks|appears) (?:like |that )?you|please provide|i(?:'d| would) be happy|i(?: a|')m happy|"
    r"you(?:'ve| have) (?:asked|given|provided))\b", re.I)

# Placeholders: the whole answer (compared in lower case, without the punctuation around it).
PLACEHOLDERS = frozenset({
    "null", "none", "nil", "nan", "undefined", "n/a", "n.a", "na", "tbd", "tba", "tbc", "todo", "fixme", "xxx",
    "string", "str", "value", "text", "example", "sample", "placeholder", "lorem ipsum", "foo", "foobar",
    "description", "visual", "answer", "response", "output", "result", "title", "name", "untitled", "insert name",
    "insert title", "your name", "your title", "character name", "name here", "title here", "text here",
    "enter name", "enter text", "unknown", "redacted", "etc", "your answer", "your text", "lorem"})
LINE_PLACEHOLDER_OK = frozenset({"none", "unknown", "nothing", "example", "name", "title", "answer"})  # speech
PLACEHOLDER_ANY = re.compile(r"\blorem ipsum\b|\bdolor sit amet\b|\[\s*(?:insert|your|enter|add)\b[^\]]*\]|"
                             r"<\s*(?:insert|your|enter|name|title|character|place)\b[^<>]*>", re.I)
# Role words, refused as a character's name (alone or together: 'AI Assistant'), unless the script names so.
# 'Narrator' is a real cue in screenplays and stays allowed.
ROLES = frozenset({"assistant", "user", "ai", "bot", "chatbot", "system", "model", "speaker", "character",
                   "person", "human", "llm", "gpt", "chatgpt", "claude", "agent", "ai assistant"})
ROLE_FILLERS = frozenset({"the", "a", "an", "my", "your", "ai", "language", "virtual", "helpful"})

_WORKS = r"(?i:film|movie|motion picture|novel|book|story|show|tv show|series|sitcom|episode|comic|anime|video game)s?"
SOURCE = re.compile(  # 'In the film, …'  'From the book: …'  'like in the movie Ember' ('from the movie screen' is not)
    rf"^\W*(?:(?i:as seen|like)\s+)?(?i:in|from)\s+(?:(?i:the|a|an|this|that)\s+)?{_WORKS}\b(?=\s*[,:\"“‘«])|"
    r"\b(?i:in|from)\s+(?:(?i:the|a|an)\s+)?(?i:film|movie|motion picture|novel|tv show|sitcom|anime)s?\b"
    r"(?=\s*[\"“‘«]|\s+(?:(?i:by)\s+)?[A-Z])")  # a title follows: 'the film "Ember"', 'the novel by Dickens'
QUOTED = re.compile(r"^\W*(?i:in|from)\s+[\"“«]([^\"“”«»]{3,80})[\"”»]")  # 'In "The City of Ember," …'
META = re.compile(r"\b(?:a|the|another|one|each)\s+characters?\s+(?:named|called)\b"
                  r"|\b(?:only|main|two|three|other)\s+characters\b|\bcharacters?\s+in\s+(?:a|the|this)\s+(?:scene|film|story)\b"
                  r"|\b(?:in|of)\s+(?:a|this)\s+scene\b|\bthe\s+scene\s+(?:is|was)\s+set\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9À-Ý])")
ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Mt|vs|M|Mme|Mlle|Prof|No)\.$")

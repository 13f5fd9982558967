"""The phrase tables studio.intents reads a director's clauses with: verbs, negations, conditions, fillers,
yes-words, praise, and the phrases of the kinds that have few wordings (next, status, help, undo).
Matching is by set membership or a prefix of a few words, so a clause is looked at in time linear in it."""

from __future__ import annotations

REQUEST_VERBS = frozenset({"make", "change", "set", "give", "show", "render", "rerender", "draw", "redraw",
                           "approve", "undo", "revert", "go", "put", "move", "switch", "open", "use", "pick",
                           "redo", "add", "remove", "rewrite", "revise", "turn", "keep", "let's", "generate",
                           "regenerate", "continue", "branch", "shoot", "reshoot", "try", "dress", "cut", "drop",
                           "tighten", "shorten", "bring", "pull", "display", "play", "check", "ship", "sign",
                           "tell", "update", "fix", "swap", "replace", "hold", "frame", "start", "let", "lgtm",
                           "rework", "punch", "trim", "lengthen", "extend", "lower", "raise", "choose", "select",
                           "proceed", "mark", "create", "export", "darken", "brighten", "warm", "cool", "return",
                           "assemble", "sketch", "shave", "dye", "bleach", "tear", "lock", "scrap", "reverse",
                           "crumple", "crack", "chip", "soak", "build", "compile"})
NEGATIONS = frozenset({"not", "no", "never", "don't", "do't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
                       "won't", "wouldn't", "shouldn't", "can't", "cannot", "couldn't", "nope", "nah", "without",
                       "wait", "stop", "neither", "nor", "nothing", "hardly", "barely", "un-approve",
                       "unapprove", "disapprove", "reject", "rejected", "dis-approve", "haven't", "hasn't",
                       "mustn't", "ain't", "yet"})
CONDITIONS = frozenset({"if", "once", "when", "whenever", "unless", "after", "until", "till", "before",
                        "provided", "assuming", "suppose", "supposing", "whether", "otherwise", "or", "pending"})
QUESTION_STARTS = frozenset({"what", "what's", "why", "how", "how's", "when", "where", "where's", "who", "who's",
                             "which", "did", "do", "does", "is", "are", "was", "were", "should", "shall", "have",
                             "has", "will", "would", "am", "isn't", "aren't", "whose", "whats", "wheres"})
FILLERS = frozenset({"ok", "so", "well", "hmm", "right", "alright", "oh", "hey", "now", "then", "also", "and",
                     "but", "plus", "please", "actually", "just", "um", "uh", "great", "cool", "nice", "thanks",
                     "thank", "yeah", "yes", "yep", "anyway", "finally", "lastly", "oops", "ah", "hi", "hello",
                     "sorry", "listen", "good", "perfect", "hmmm", "erm", "wow", "awesome", "sure", "okay", "though",
                     "fine"})

PRAISE = frozenset({"great", "perfect", "love", "good", "looks", "look", "sounds", "it", "this", "that",
                    "i", "all", "very", "really", "so", "nice", "excellent", "awesome", "to", "me", "thanks",
                    "thank", "you", "wow", "just", "absolutely", "is", "it's", "that's", "this's", "oh", "lovely",
                    "brilliant", "fantastic", "wonderful", "beautiful", "amazing", "ok", "yes", "yeah", "pretty",
                    "now", "much", "fine", "work", "job", "stuff", "done", "well", "cheers"})
PRAISE_KEYS = frozenset({"great", "perfect", "love", "good", "nice", "lovely", "brilliant", "fantastic",
                         "wonderful", "beautiful", "amazing", "excellent", "awesome", "gorgeous", "stunning",
                         "superb", "terrific", "fab", "fabulous", "marvellous", "marvelous", "splendid",
                         "magnificent", "outstanding", "incredible", "impressive", "cracking", "smashing", "ace",
                         "sublime", "exquisite", "glorious", "delightful", "lush", "stellar", "beaut", "phenomenal",
                         "breathtaking", "spectacular", "divine", "loved", "loving", "top-notch", "spot-on",
                         "bang-on", "perfection", "masterpiece", "brill", "gr8", "luv", "lovin", "chuffed", "wicked",
                         "sweet", "classy", "beautifully", "nicely", "wonderfully",
                         "gorgeously", "perfectly", "stunningly", "epic", "super", "wow", "woah", "whoa", "10/10"})

# What the clause readers of studio.intents look for.
SPLIT_BEFORE = frozenset({",", "and", "but", "also", "plus", "then"})
SHOW_VERBS = frozenset({"show", "see", "display", "view", "open", "pull", "bring", "play", "watch", "read"})
RENDER_VERBS = frozenset({"compile", "render", "rerender", "draw", "redraw", "generate", "regenerate", "redo", "reshoot",
                          "shoot", "make", "create", "do", "run", "try", "assemble", "sketch", "build"})
RENDER_THINGS = {"boards": "boards", "board": "boards", "frames": "boards", "images": "boards",
                  "pictures": "boards", "clips": "clips", "clip": "clips", "video": "clips", "videos": "clips",
                  "animation": "clips", "cut": "cut", "animatic": "cut", "film": "cut", "movie": "cut",
                  "stale": "stale", "outdated": "stale"}
REVISE_VERBS = frozenset({"rewrite", "revise", "rework", "redraft", "redo", "tighten", "shorten", "lengthen", "trim",
                     "punch", "polish", "simplify", "fix", "improve", "change", "add", "remove", "drop", "make",
                     "cut", "keep", "lose", "give", "let's", "try", "tone", "update", "swap", "replace", "soften",
                     "sharpen", "list", "slow", "speed"})
NOTE_WORDS = frozenset({"too", "needs", "need", "more", "less", "should", "feels", "lacks", "missing", "instead",
                   "want", "shorter", "longer", "darker", "lighter", "funnier", "sadder", "snappier", "slower",
                   "faster", "warmer", "colder", "softer", "harsher", "simpler", "tighter", "punchier", "boring",
                   "flat", "weak", "rushed", "dragging", "drags", "cheesy", "slow", "prefer", "rather",
                   "hope", "tension", "emotion", "stronger", "clearer", "scarier", "happier", "quieter", "louder"})
UNDO_PHRASES = frozenset({("undo",), ("revert",), ("take", "that", "back"), ("scratch", "that"), ("roll", "back"),
                   ("roll", "that", "back"), ("put", "it", "back"), ("change", "it", "back"), ("undo", "that"),
                   ("go", "back", "to", "how", "it", "was"), ("put", "that", "back"), ("rollback",)})
REPORTED = frozenset({"said", "says", "told", "tells", "thinks", "thought", "asked", "mentioned", "reckons",
                       "claims", "claimed", "suggested", "according", "believes", "agreed", "wrote", "heard"})
PRONOUNS = frozenset({"her", "his", "him", "she", "he", "hers"})
APPROVE_OBJECTS = frozenset({"it", "this", "that", "these", "them", "all", "everything", "draft", "stage", "the", "one",
                      "list", "please", "thanks", "now", "i", "we", "hereby", "of", "thank", "you"})



# A bare yes: every word one of these, one of them a yes of its own ("yeah go on then", "fine by me", "okey dokey").
YES_WORDS = frozenset({"yes", "yeah", "yep", "ok", "sure", "alright", "alrighty", "fine", "right", "righto", "go",
                       "on", "then", "ahead", "do", "it", "that", "please", "by", "me", "for", "dokey", "doke",
                       "absolutely", "definitely", "of", "course", "correct", "exactly", "that's", "works",
                       "deal", "cool", "yes,", "certainly", "indeed", "totally", "sounds", "good", "with", "i'm",
                       "agreed", "aye", "roger", "yess", "yeh", "yah", "k", "now", "go-ahead", "just", "all",
                       "thanks", "thank", "you", "so", "well", "oh", "uh", "um", "hmm", "fair", "enough", "sir",
                       "thing"})
YES_HEADS = frozenset({"yes", "yeah", "yep", "ok", "sure", "alright", "alrighty", "fine", "righto", "absolutely",
                       "definitely", "correct", "exactly", "certainly", "indeed", "agreed", "aye", "roger", "yeh",
                       "yah", "deal", "dokey", "right", ("please", "do"), ("sure", "thing"), ("go", "ahead"), ("do", "it"), ("go", "for", "it"),
                       ("of", "course"), ("fair", "enough")})

# status: one of these at the start, then only words of STATUS_TAIL ("where are we at with everything").
STATUS_CORES = (("where", "are", "we"), ("where", "we", "are"), ("what's", "left"), ("what", "is", "left"),
                ("what", "remains"), ("what's", "the", "status"), ("what", "is", "the", "status"), ("status",),
                ("progress",), ("how", "far", "along"), ("how", "are", "we", "doing"), ("how's", "it", "going"),
                ("how", "is", "it", "going"), ("what", "stage"), ("which", "stage"),
                ("what's", "the", "state"), ("project", "status"), ("where", "are", "things"),
                ("where", "do", "we", "stand"), ("what's", "done"), ("what", "is", "done"), ("how", "much", "is", "left"),
                ("what's", "still", "to", "do"), ("show", "me", "the", "status"), ("show", "status"), ("status", "update"))
STATUS_TAIL = frozenset({"at", "with", "everything", "the", "project", "now", "here", "to", "do", "on", "in", "so",
                         "far", "things", "overall", "film", "today", "currently", "right", "is", "are", "we", "it",
                         "of", "doing", "be", "done", "still", "along", "this", "our", "update", "report", "exactly",
                         "going", "stand", "up", "please", "thanks"})

# help: a clause that begins so, or that holds one of HELP_WORDS ("what commands are there", "how do I render?").
HELP_STARTS = (("how", "do", "i"), ("how", "can", "i"), ("how", "would", "i"), ("how", "should", "i"),
               ("how", "do", "you"), ("what", "can", "i"), ("what", "can", "you", "do"), ("what", "should", "i", "say"),
               ("what", "happens", "if", "i"), ("what", "happens", "when", "i"), ("what", "happens", "once", "i"),
               ("how", "does", "this", "work"), ("how", "does", "it", "work"), ("help",), ("i'm", "lost"),
               ("i'm", "confused"), ("i", "don't", "know", "what", "to", "do"), ("what", "do", "i", "do"),
               ("is", "there", "a", "help"), ("what", "are", "my", "options"), ("what", "are", "the", "commands"),
               ("what", "commands"), ("which", "commands"), ("what", "can", "we", "do"), ("what", "do", "i", "type"),
               ("what", "options"), ("list", "the", "commands"), ("show", "me", "the", "commands"))
HELP_WORDS = frozenset({"commands", "command", "help"})
COMMAND_WORDS = frozenset({"approve", "undo", "render", "next", "revise", "status", "branch", "show", "help",
                           "open", "export", "pick", "variant", "switch", "redo", "rerender", "back", "stale"})

# next: a core, then only words of NEXT_TAIL ("carry on to the next bit", "next stage please").
NEXT_CORES = (("next",), ("continue",), ("go", "on"), ("proceed",), ("keep", "going"), ("carry", "on"),
              ("move", "on"), ("onwards",), ("onward",), ("let's", "go"), ("go", "to", "the", "next"),
              ("on", "to", "the", "next"), ("what's", "next"), ("what", "next"), ("go", "ahead", "next"),
              ("on", "we", "go"), ("moving", "on"), ("next", "one"), ("to", "the", "next"))
NEXT_TAIL = frozenset({"to", "the", "next", "bit", "stage", "step", "one", "please", "then", "now", "with", "it",
                       "on", "thanks", "part", "phase", "go", "ahead", "onwards", "forward", "let's", "and"})

# undo: a verb of taking back and what it takes back ("scrap that last change", "take that back").
UNDO_VERBS = frozenset({"undo", "revert", "scrap", "scratch", "reverse", "rollback", "cancel", "unmake", "forget"})
UNDO_OBJECTS = frozenset({"that", "it", "this", "the", "last", "change", "edit", "one", "again", "please", "my",
                          "previous", "bit", "step", "thing", "what", "i", "just", "did", "you", "now"})

# what a clause with no verb names when it asks to see something ("shots for scene 4 pls").
ARTIFACTS = frozenset({"script", "shots", "shot-list", "board", "boards", "prompt", "prompts", "takes", "cut",
                       "treatment", "beats", "breakdown", "brief", "animatic", "coverage", "lookbook"})
ARTIFACT_FILLER = frozenset({"the", "for", "of", "in", "a", "please", "thanks", "me", "its", "their", "on",
                             "and", ",", "now", "again", "all", "whole", "to", "from", "new", "that", "this"})

# a character's look that is neither clothes nor hair nor age ("Walt's scar is visible", "give Roy tattoos").
FEATURES = frozenset({"scar", "scars", "scarred", "tattoo", "tattoos", "tattooed", "freckles", "freckled",
                      "wrinkles", "wrinkled", "bruise", "bruises", "bruised", "bandage", "bandaged", "makeup",
                      "make-up", "eyepatch", "limp", "piercing", "piercings", "pierced", "mole", "birthmark",
                      "tan", "tanned", "sunburn", "sunburnt", "complexion", "skin", "face", "eyes", "forearms",
                      "arms", "hands", "teeth", "wound", "wounds"})
# verbs that change a prop's state ("tear one corner off the photograph", "crack the mug").
STATE_VERBS = frozenset({"tear", "rip", "break", "crack", "chip", "crumple", "fold", "burn", "smash", "bend",
                         "stain", "spill", "scratch", "dent", "soak", "wet", "dirty", "scuff", "crease", "fade",
                         "shatter", "polish", "clean", "empty", "fill", "rust", "weather", "age", "wrinkle"})
HAIR_VERBS = frozenset({"shave", "dye", "bleach", "perm", "braid", "trim", "cut", "grow", "style", "curl", "colour"})
DECADES = {"twenties": "20s", "thirties": "30s", "forties": "40s", "fifties": "50s", "sixties": "60s",
           "seventies": "70s", "eighties": "80s", "nineties": "90s", "teens": "teens"}

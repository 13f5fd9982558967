"""Real English words that are one or two letters away from a word the intent parser knows ("being" and
"bring", "truck" and "track", "scary" and "scarf", "overall" and "overalls"): never taken for a slip.

Made once from a word-frequency list: the words of English at least as common as 2 in a million (Zipf 3.3)
that studio.intent_words.correct would otherwise change into another word (not merely a form of the same
word: "makes" → "make" stays a correction). Remake it the same way when the parser's vocabulary grows.
"""

from __future__ import annotations

ENGLISH = frozenset("""
aaron akron angel angie anglo animated animation ankle arise aromatic assemblies assembly banana bananas bands
banks beads beams beans bears beast beasts being bernie beta binds black bland blend blind blood boarded boats
boeing bolts boobs books boost boosts booth booty boxing brain brains brand branded brands breach brighter
brightest brightly brighton brink brunch burnett camps canned cardiac cardinal ceased chance charge chats
cheaper cheated checked cheek cheeky cheese chick chilled chopped chopper chuck clashes cleaned cleaner cleaners
cleared clearly clicked clone closing clover coached coasts colon colour colours colts commanded commander
commanders commando comments commons congrats conor consume contact contest continual continuum contract
contracts contrary convince costs coupled courage couture cracker crackers crafted crank crashed crate crave
craze crease cricket crippled crooked cropped crossed cures curly darren digging ditch dolls drafting draining
drawing dresser drown drugs earning earnings edition eighteen emery erosion est evasion expert extent faced
fades faked famed feeds fellow fifteen fifty filth flames float form forth fortress fortunes foster fridge fro
fuels funniest garde gearing general generals generator glaring glover grabbing grace gradient grande granting
grape grave grazing grinding groves growing grown guarding guiding hailed hamster handled happiest happily hates
hatred heals heats hired jackass jewellery jumped lacked laughter least lengths lengthy lever lifting lighten
lightly lightning limiting linger listing locker looked loser manning marking meaning mention merging messing
milling missile mission missions moaning mocking monument moore morse mounting mourning movie nerds nineteen
offline opinions optional order outside overheard overload overseas paints parks parts pinch plants plush
portions potion preceded prick process processed profits promotes prompted promptly punched punches punching
pushing quarter quicker quietly reader reed referee release reminder remorse remote replica reserve reunite
revenge revenue revered reversal revive rushes sacks sampled samples scale scanner scare scarlet scars scary
scatter scooter scots secondly seekers seventeen shade shake shale shame shane shape share shelter shift shifts
shire shits shocks shook shooter shooters shoots shops shores shortest shortly shorts shouted shouts shove shuts
shutter similar simplest sixteen slave slots slowed smart smarter snapped snapping soften speaker speakers spots
springer stable stake stalk staple stare stark starr stars starter states stats statue statues steamer stitch
stocks stole strange stranger strangers strap strongest strongly stuart stumble stumbled subset sucks surprise
swamp sweeter tackling taken tales talking tapes taxes teaching thanking theme theyre thirteen thorn thorough
thought ticking tightly toned tonnes tos trace tracing tract tracy trading trailing training trapping treaties
trick troopers trough truck trucking tunes turin twentieth unicorn valiant variance vending verizon vets visibly
warmed warner wasnt wheat whore wilde youngest
""".split())

"""Compose the analogy rule patterns, write rules/analogy/*.yml, test them on the examples file.

The analogy patterns are long because they share pieces (referents, time
expressions, word gaps); this script is their source. Edit it, run
`python tools/build_analogy_rules.py --write`, and commit both it and the YAML.
"""
import pathlib, re, sys
import regex

ROOT = pathlib.Path(__file__).resolve().parent.parent / 'rules'
EX = pathlib.Path(__file__).resolve().parent / 'analogy_examples.md'

# ---- shared pieces -------------------------------------------------------
W = r"[\w'’-]+"                       # one word of a gap
SP = r"(?:[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"  # whitespace within a paragraph
FUNC = (r"in|on|at|of|for|to|from|with|by|over|under|between|against|before|after|during|since|when|where|while|"
        r"who|which|that|as|and|or|but|nor|so|yet|is|was|were|are|be|been|being|has|had|have|will|would|could|"
        r"should|may|might|must|can|did|does|do|again|all|once|himself|herself|itself|themselves|here|there|now|"
        r"then|today|too|also|not|than|if|because|though|although|only|just|ever|into|onto|upon|this|these|"
        r"those|its|his|her|their|our|my|your|a|an|the|one|did|2\.0|redux")
NAMEEND = r"(?!\w)(?![-‐–]\w)(?!\s+(?!I\b)[A-Z])"     # the name does not go on ("Munich Re", "Carnegie Hall")
# not used attributively: no "-era", no following noun ("a Cold War bunker"); -ing forms and function words ok
END = NAMEEND + r"(?![-‐–]\w)(?!\s+(?!(?:" + FUNC + r")\b)(?![a-z]+ing\b)[a-z])"
YEAR = r"(?<![\d.,$£€#/-])(?:1[0-9]{3}|200[0-9])(?![\d%]|,\d|['’]?s\b)"
DECADE = (r"(?:(?i:the)\s+)?(?:1[0-9]{2}0s|['’][0-9]0s|(?:[Tt]wenties|[Tt]hirties|[Ff]orties|[Ff]ifties|"
          r"[Ss]ixties|[Ss]eventies|[Ee]ighties|[Nn]ineties)(?=\W))")
DECADE = r"(?:(?:(?i:the)\s+)(?:(?i:early|mid|late)[-\s])?(?:1[0-9]{2}0s|['’][0-9]0s|(?:[Tt]wenties|[Tt]hirties|[Ff]orties|[Ff]ifties|[Ss]ixties|[Ss]eventies|[Ee]ighties|[Nn]ineties))|1[0-9]{2}0s)(?!\w)"
CENTURY = r"(?:(?i:the)\s+)(?:1[0-9]th|(?i:sixteenth|seventeenth|eighteenth|nineteenth|twentieth))[- ](?i:century)"
TIME = f"(?:{DECADE}|{CENTURY}|{YEAR})"
TIME_NOYEAR = f"(?:{DECADE}|{CENTURY})"
LEX = r"(?:\L<hist_figures>|\L<hist_events>|\L<hist_empires>)"
NAZI = r"\L<hist_nazi>"
ART = r"(?:(?i:the|a|an)\s+)?"

def qual(ref):  # "like Hitler in 1938", "like Chamberlain at Munich"
    return rf"(?:\s+(?i:in|at|during|before|after)\s+(?:(?i:the)\s+)?(?:{TIME}|{ref}{NAMEEND}))?"

LIKE_LB = (r"(?<!\b(?:I|[Ww]e|[Yy]ou|[Tt]hey|[Ww]ould|[Ss]hould|not|n['’]t|['’]d|[Pp]eople|men|women|children|"
           r"[Dd]o|[Dd]id|[Dd]oes|to|[Rr]eally|[Aa]lso|[Ss]till|who)\s)"
           r"(?<!\b(?!(?i:looks|seems|sounds|feels|is|was|has|does|this|his|its|as|us|thus|less|always|perhaps|"
           r"whereas|sometimes|acts|behaves|rules|governs|talks|speaks|plays|dresses|reads|writes|runs|fights|"
           r"thinks|reigns|leads|lives|works|campaigns|negotiates|appears|stands|operates|remains|becomes|goes|"
           r"ends|unfolds|collapses|spends|treats|bullies|crushes|purges|expands|invades|threatens)\b)"
           r"[A-Za-z]+[a-z]s\s)")

NEVER = r"(?!)"
def frames(ref, times=True, plain_ref=None, style_extra="", poss=True, of_caps=None, dated=None):
    """Comparison frames around referent regex `ref` (a non-capturing alternation).

    ``dated`` (a dated event, "the 1929 crash") joins the referent only in frames that begin
    with a frame word ("compared to", "like", "worse than"): frames that begin with the referent
    itself would otherwise be tried at every "the" and year of a document.
    """
    RD = f"(?:{ref}|{dated})" if dated else ref
    T = TIME if times else NEVER
    TIME_NOYEAR = globals()['TIME_NOYEAR'] if times else NEVER
    YEAR = globals()['YEAR'] if times else NEVER
    plain_ref = plain_ref or ref
    of_caps = of_caps or ref
    R = f"(?:{ref}|{T})"
    Q = qual(ref)
    pats = []
    # 1. compared/likened/equated X to REF
    pats.append(rf"\b(?P<span>(?i:compar(?:e|es|ed|ing)|liken(?:s|ed|ing)?|equat(?:e|es|ed|ing))\s+"
                rf"(?:(?!(?i:to|with)\b){W}{SP}){{1,8}}?(?i:to|with)\s+(?:{W}{SP}){{0,10}}"
                rf"{ART}(?:{RD}{NAMEEND}|{TIME_NOYEAR}){Q})")
    # 2. (have been) compared to REF; sentence-initial "Compared with REF"
    pats.append(rf"(?:(?<=\b(?i:been|be|is|are|was|were|being|often|widely|frequently|repeatedly|rightly|wrongly|"
                rf"unfairly|inevitably)\s)(?P<span>(?i:compared|likened|equated)\s+(?i:to|with)\s+(?:{W}{SP}){{0,6}}?"
                rf"{ART}(?:{RD}{NAMEEND}|{TIME_NOYEAR}){Q})|\b(?P<span>Compared\s+(?i:to|with)\s+{ART}"
                rf"(?:{RD}{NAMEEND}|{TIME_NOYEAR}){Q}))")
    # 3. drew parallels/comparisons with REF
    pats.append(rf"\b(?P<span>(?:(?i:dr[ae]w(?:s|ing|n)?|mak(?:e|es|ing)|made|invit(?:e|es|ed|ing)|prompt(?:s|ed|ing)?)"
                rf"\s+(?:(?i:an?|the|obvious|easy|inevitable|uncomfortable|unflattering|many|some|several|frequent|"
                rf"direct|explicit)\s+)*)?(?i:comparisons?|parallels?|analog(?:y|ies)|likeness)\s+(?:(?i:to|with)\s+"
                rf"(?:{W}{SP}){{0,4}}?{ART}(?:{RD}{NAMEEND}|{TIME_NOYEAR})|(?i:between)\s+{ART}{RD}{NAMEEND}))")
    # 4. similarity phrases and echo/repeat nouns + REF
    pats.append(rf"\b(?P<span>(?:(?i:akin\s+to|similar\s+to|comparable\s+to|analogous\s+to|equivalent\s+(?:of|to)|"
                rf"tantamount\s+to|on\s+a\s+par\s+with|no\s+different\s+from|not\s+unlike|reminiscent\s+of|"
                rf"redolent\s+of|evocative\s+of|echo(?:es)?\s+of|shades\s+of|whiffs?\s+of|hints?\s+of|ghosts?\s+of|"
                rf"spect(?:re|er)\s+of|hark(?:s|ed|ing)?\s+back\s+to|hearken(?:s|ed|ing)?\s+back\s+to|"
                rf"mirror(?:s|ed|ing)?|echo(?:es|ed|ing)|evok(?:e|es|ed|ing)|resembl(?:e|es|ed|ing)|smack(?:s|ed|ing)?\s+of|"
                rf"conjur(?:e|es|ed|ing)\s+up)"
                rf"|(?:(?i:a|an)\s+(?:(?i:new|modern|modern-day|latter-day|digital|grim|stark|eerie|faint|"
                rf"sinister|slow-motion|21st-century)\s+)?)?(?i:throwback\s+to|return\s+to|re-?run\s+of|"
                rf"replay\s+of|repeat\s+of|repetition\s+of|reprise\s+of|rehash\s+of|re-?enactment\s+of|"
                rf"reincarnation\s+of))\s+"
                rf"(?:(?i:the)\s+(?i:days|time|times|era|age|spirit|heyday|ghosts?)\s+of\s+)?{ART}(?:{RD}{NAMEEND}|{T}{END}){Q})")
    # 5. like REF / as in REF / as Thatcher did
    pats.append(rf"{LIKE_LB}\b(?P<span>(?i:like)\s+{ART}(?:{RD}|{T}){END}{Q})")
    pats.append(rf"\b(?P<span>(?i:as)\s+(?i:in|at|with|during)\s+(?:(?i:the)\s+)?(?:{ref}|{TIME_NOYEAR}){END}{Q})")
    pats.append(rf"\b(?P<span>(?i:as)\s+{ref}\s+(?:(?i:once|famously|memorably|so\s+memorably)\s+)?(?i:did|had\s+done)"
                rf"{Q})")
    # 6. a new / modern-day / the next / another REF; plain "an Iron Curtain", "a Churchill"
    mods = (r"new|modern|modern-day|modern\s+day|latter-day|present-day|contemporary|21st-century|21st\s+century|"
            r"twenty-first-century|would-be|wannabe|budding|self-styled|self-proclaimed|cyber|digital|economic|"
            r"financial|corporate|diplomatic|political|technological|tech|sporting|footballing|real-life|"
            r"slow-motion|veritable|genuine|latter")
    pats.append(rf"\b(?P<span>(?i:(?:the|a|an)\s+(?:{mods})|the\s+next|a\s+second|another|yet\s+another|today['’]s|"
                rf"our\s+own|our\s+very\s+own)\s+(?:(?i:{mods})\s+)?(?:{ref}|{YEAR}){END})")
    pats.append(rf"\b(?P<span>(?i:a|an)\s+{plain_ref}{END})")
    # 7. the Henry Ford of AI (figures: any capitalised tail); the Munich of our time; the Enron of crypto
    DOMAIN = (r"(?i:tech|technology|crypto|finance|banking|retail|fashion|football|soccer|cricket|tennis|golf|"
              r"boxing|basketball|baseball|hockey|rugby|cycling|chess|pop|rap|jazz|hip-hop|streaming|"
              r"social\s+media|the\s+internet|industry|business|politics)")
    TAIL = rf"(?:(?i:our|this)\s+(?i:time|times|age|era|generation|day|century)|(?:(?i:the)\s+)?{DOMAIN})(?!\w)"
    CAPS = r"(?:(?i:the)\s+)?(?!(?:The|This|That|His|Her|Their|Its)\b)[A-Z][\w-]*(?!\w)"
    pats.append(rf"\b(?P<span>(?i:the)\s+(?:(?:{of_caps})\s+of\s+(?:{CAPS}|{TAIL})|(?:{ref})\s+of\s+{TAIL}))")
    # 8. a Sputnik moment, the Dunkirk spirit, the KGB playbook, Vietnam all over again, Cold War 2.0
    pats.append(rf"(?P<span>(?:\b(?i:a|an)\s+(?:(?i:new|modern|real|true|genuine|proper|veritable|digital|economic|"
                rf"financial|tech|political|geopolitical)\s+)?)?(?<![\w-])(?:{ref}|{YEAR})(?:['’]s)?\s+(?:(?i:moment|"
                rf"spirit|scenario|playbook|mentality|syndrome|redux)\b|2\.0(?!\d)|(?i:all\s+over\s+again)\b))")
    # 9. REF-style
    pats.append(rf"(?<![\w-])(?P<span>(?:{ref}{style_extra})[-‐](?i:style|esque|like|type|inspired))(?!\w)")
    # 10. possessive defeat/turning point: the airline's Vietnam, his Waterloo
    if poss:
        pats.append(rf"\b(?P<span>(?!(?i:it|that|what|here|there|he|she|who|let|where|this|one)['’]s)"
                    rf"(?:[\w-]+['’]s|(?i:his|her|its|their|our|my|your))\s+(?:(?i:own)\s+)?"
                    rf"(?:Waterloo|Vietnam|Stalingrad|Suez|Dunkirk|Munich|Gallipoli|Watergate|Chernobyl|Alamo|"
                    rf"Pearl\s+Harbou?r|Bay\s+of\s+Pigs|Sputnik|Versailles|Yalta|Rubicon|Enron|Lehman){END})")
    # 11. a comparative against the referent: worse than Vietnam, bigger than the Marshall Plan
    pats.append(rf"\b(?P<span>(?i:worse|bigger|larger|greater|deadlier|costlier|bloodier)"
                rf"\s+(?i:than)\s+{ART}(?:{RD}){END})")
    # 12. a generation's referent: this generation's Great Depression, our era's Watergate
    pats.append(rf"\b(?P<span>(?i:this|our|my|their|his|her|its|the|a)\s+(?i:generation|era|century|decade|age|"
                rf"time)['’]s\s+(?:{RD}){END})")
    return pats

# ---- rules ---------------------------------------------------------------
GENERIC = (r"(?:Inquisition|Renaissance|Reformation|Counter-Reformation|Enlightenment|Depression|Reconstruction|"
           r"Prohibition|Civil War|Troubles|Crusades|Blitz|Gold Rush|Red Scare|Great War|Dark Ages|Middle Ages|"
           r"Industrial Revolution|Restoration)(?!\w)")
# A dated event no gazetteer names: "the 1968 student movement", "the 1929 crash", "the panic of 1929",
# "the protests of May 1968" (years 1000-2009, dramatic event nouns only, not used attributively:
# "the 2008 recession levels" is a statistic). Only in comparison frames, never as a bare time reference.
EVENT_NOUN = (r"(?i:crash|panic|crisis|depression|riots?|uprisings?|revolutions?|revolts?|rebellions?|movement|"
              r"protests|general\s+strike|blockade|invasion|coup|putsch|massacre|famine|embargo|oil\s+shock|"
              r"bail-?outs?|meltdown|siege|airlift|boycott|purges?|show\s+trials|bombings?|genocide|hyperinflation|"
              r"appeasement|floods?|strikes?|storms?|epidemic|pandemic)")
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DATED = (rf"(?:(?:(?i:the)\s+)?{YEAR}\s+(?:[\w'’-]+\s+){{0,2}}?{EVENT_NOUN}|(?i:the)\s+(?:[\w'’-]+\s+)?{EVENT_NOUN}\s+of\s+"
         rf"(?:(?:{MONTH}\s+)?{YEAR}|{DECADE})){END}")
COMPARISON = frames(LEX, dated=DATED, plain_ref=rf"(?!{GENERIC})(?:\L<hist_figures>|\L<hist_events>)", of_caps=r"\L<hist_figures>", style_extra=r"|Soviet|Stalinist|Maoist|Bolshevik|Tsarist|Czarist") + [
    r"\b(?P<span>(?i:history)\s+(?:(?i:is|was|seems\s+to\s+be|may\s+be|could\s+be|might\s+be)\s+)?"
    r"(?i:repeat(?:s|ing)|rhym(?:es|ing))(?:\s+(?i:itself))?)(?!\w)",
]

NAZI_REF = rf"(?:(?!(?:neo-)?Nazis?\b){NAZI}|(?<=(?i:new|modern|modern-day|latter-day|next|second|another|like|like\s+the|to|to\s+the|with|with\s+the)\s)(?:neo-)?Nazis?\b)"
NAZI_PATS = frames(NAZI, times=False, plain_ref=r"(?!(?:neo-)?Nazis?\b)\L<hist_nazi>", poss=False)
# revival of the Reich
NAZI_PATS.append(r"\b(?P<span>(?i:reviv(?:e|es|ed|ing)|restor(?:e|es|ed|ing)|rebuil(?:d|ds|ding|t)|"
                 r"resurrect(?:s|ed|ing)?|recreat(?:e|es|ed|ing)|bring(?:s|ing)?\s+back|brought\s+back)\s+"
                 r"(?:(?i:the|a|an)\s+)?(?:Third\s+Reich|Reich|Nazi\s+Germany|Greater\s+Germany|Nazi\s+Party|Nazism)(?!\w))")
NAZI_PATS.append(r"\b(?P<span>Hitlerian|Hitleresque|Hitlerite|Goebbelsian)(?!\w)")

BREF = (r"(?:(?i:the)\s+(?:(?i:dark|final|dying|last|early|heady|glory)\s+)?(?i:end|fall|collapse|start|beginning|outbreak|height|days|time|times|era|dawn|heyday|peak|"
        r"depths|aftermath|eve|break-?up|dissolution|advent|signing|sinking|reign|rule)\s+of\s+)?"
        rf"(?:(?i:the|a)\s+)?(?:\L<hist_figures>|\L<hist_events>|\L<hist_empires>|\L<hist_nazi>|{TIME}{END}|{DATED}|"
        rf"(?<=(?i:the)\s)(?!(?i:(?:pre|post)-?\w+|modern|current|present|new|same|previous|next|digital|internet|streaming|"
        rf"social\s+media|post-war|postwar|covid|pandemic|open)\b)(?:[\w'’-]+\s+){{1,2}}?(?i:era)(?!\w)){NAMEEND}")
SUP = (r"(?i:largest|biggest|worst|deadliest|bloodiest|first|greatest|highest|lowest|fastest|slowest|sharpest|"
       r"steepest|strongest|weakest|costliest|longest|heaviest|deepest|gravest|boldest|best|widest|hottest|"
       r"coldest|wettest|driest|severest|direst|only|most\s+[\w-]+|least\s+[\w-]+)")
BREF_NOYEAR = BREF.replace("{TIME}", "").replace(TIME, TIME_NOYEAR)
BENCHMARK = [
    rf"\b(?P<span>(?:(?!(?i:first|only)\b){SUP}(?:-ever)?\s+(?:{W}{SP}){{0,10}}?(?i:since)\s+{BREF}"
    rf"|(?i:first|only)\s+(?:{W}{SP}){{1,6}}?(?i:since)\s+{BREF_NOYEAR}))",
    rf"\b(?P<span>(?:(?i:not|never|rarely|seldom)(?:\s+(?:been\s+)?|\s+)(?i:seen|witnessed|matched|equalled|equaled|"
    rf"paralleled|surpassed|experienced|known)|(?i:unprecedented|unmatched|unparalleled|unequalled|unequaled|unseen|"
    rf"unrivalled|unrivaled|unheard\s+of)|(?i:not)|(?i:last\s+(?:seen|recorded|reached|witnessed)\s+(?:in|during|"
    rf"at|before)))\s+(?:(?:{W}{SP}){{0,2}}?(?i:since)\s+)?{BREF})",
]
# the last alternative needs "since" unless "last seen in/during"; tighten: make since mandatory except for last-seen
BENCHMARK[1] = (
    rf"\b(?P<span>(?:(?:(?i:not|never|rarely|seldom)\s+(?:(?i:been)\s+)?(?i:seen|witnessed|matched|equalled|equaled|"
    rf"paralleled|surpassed|experienced|known)|(?i:unprecedented|unmatched|unparalleled|unequalled|unequaled|unseen|"
    rf"unrivalled|unrivaled|unheard\s+of))\s+(?:{W}{SP}){{0,2}}?(?i:since)|(?i:not\s+since)|(?:Never|Rarely|Seldom)\s+since"
    rf"|(?i:(?:not|never|rarely|seldom)\s+(?:(?:been|looked|felt|seemed|appeared)\s+)?(?:this|so|as)\s+(?!(?:long|far|much|many|few|often)\b)[\w-]+\s+since)|(?i:last\s+(?:seen|"
    rf"recorded|reached|witnessed)\s+(?:in|during|at|before|since)))\s+{BREF})")

RV = (r"(?i:reviv(?:e|es|ed|ing)|restor(?:e|es|ed|ing)|rebuil(?:d|ds|ding|t)|resurrect(?:s|ed|ing)?|"
      r"recreat(?:e|es|ed|ing)|re-creat(?:e|es|ed|ing)|reconstitut(?:e|es|ed|ing)|reassembl(?:e|es|ed|ing)|"
      r"re-?establish(?:es|ed|ing)?|revival\s+of|restoration\s+of|resurrection\s+of|reconstitution\s+of|"
      r"bring(?:s|ing)?\s+back|brought\s+back|reclaim(?:s|ed|ing)?|recaptur(?:e|es|ed|ing)|reconquer(?:s|ed|ing)?|"
      r"reunit(?:e|es|ed|ing)|nostalgi(?:a|c)\s+for|pin(?:e|es|ed|ing)\s+for|yearn(?:s|ed|ing)?\s+for|"
      r"hanker(?:s|ed|ing)?\s+(?:after|for))")
DET = r"(?:(?i:the|a|an|its|his|her|their|our)\s+|[A-Z][\w-]*['’]s\s+)?"
OLDADJ = r"(?:(?i:lost|former|old|bygone|vanished|historic|ancient|vast|mighty|great)\s+)?"
HEADED = r"\L<hist_adjectives>\s+\L<hist_empire_heads>(?!\w)"
REVIVAL = [
    rf"\b(?P<span>{RV}\s+{DET}{OLDADJ}(?:{HEADED}|\L<hist_empires>{NAMEEND}|\L<hist_events>{END}|{TIME_NOYEAR}{END}"
    rf"|(?i:glory|greatness|grandeur|might|borders|frontiers|splendou?r|glory\s+days|heyday|golden\s+age|power|"
    rf"reach|empire|map|order)\s+of\s+(?:(?i:the)\s+)?(?:\L<hist_empires>{NAMEEND}|{TIME}|{HEADED})"
    rf"|(?:(?i:pre-))?(?:{YEAR}|1[0-9]{{2}}0s)\s+(?i:borders|frontiers|map|order|status\s+quo)))",
    rf"\b(?P<span>(?i:revers(?:e|es|ed|ing)|undo(?:es|ing|ne)?|undid|overturn(?:s|ed|ing)?|aveng(?:e|es|ed|ing)|"
    rf"rectif(?:y|ies|ied|ying)|redress(?:es|ed|ing)?|eras(?:e|es|ed|ing))\s+(?:(?i:the)\s+)?"
    rf"(?:(?i:historic|historical|great|geopolitical)\s+)?(?i:verdict|outcome|result|results|settlement|humiliations?|"
    rf"loss|losses|collapse|break-?up|dissolution|fall|defeat|catastrophe|tragedy|disaster|consequences|"
    rf"judge?ment|order|map)\s+of\s+(?:(?i:the)\s+)?(?:{TIME}|\L<hist_events>|\L<hist_empires>){NAMEEND})",
    rf"\b(?P<span>(?:(?i:turn(?:s|ed|ing)?\s+back\s+the\s+clock|turn(?:s|ed|ing)?\s+the\s+clock\s+back|"
    rf"put(?:s|ting)?\s+the\s+clock\s+back|set(?:s|ting)?\s+the\s+clock\s+back|roll(?:s|ed|ing)?\s+back\s+the\s+clock)"
    rf"|(?i:drag(?:s|ged|ging)?|pull(?:s|ed|ing)?|push(?:es|ed|ing)?|haul(?:s|ed|ing)?|march(?:es|ed|ing)?|"
    rf"send(?:s|ing)?|sent|plung(?:e|es|ed|ing)|throw(?:s|ing|n)?|threw)\s+(?:{W}{SP}){{1,3}}?(?i:back))\s+"
    rf"(?i:to|into)\s+(?:(?i:the)\s+)?(?:{TIME}|\L<hist_events>|\L<hist_empires>){NAMEEND})",
]

# Every match of a rule contains one of its lexicon entries (as a word prefix),
# a time expression, a historical adjective or the word 'history': the patterns
# run only in blocks that have one (see the pattern kind's prefilter).
PREFILTER_PATTERNS = [r"(?<![\d.,])(?:1[0-9]{3}|200[0-9])", r"['’][0-9]0s",
                      r"\b(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|century|histor|era\b)",
                      r"\b(?:Soviet|Stalinist|Maoist|Bolshevik|Tsarist|Czarist|Hitler|Goebbels|Nazi)"]

# No analogy match runs further than this many characters from its referent.
PREFILTER_RADIUS = 200

RULES = {
 'comparison': dict(
   severity='warning', lex=['hist_figures', 'hist_events', 'hist_empires'], pats=COMPARISON,
   message="Historical analogy '{match}': say what the two cases actually share, or let the facts stand on their own.",
   description=("A present person, event or situation framed by comparison with a historical figure, event or era, "
     "so that the past supplies the judgement: explicit comparison (compared X to, likened to, like, as in, "
     "reminiscent of, echoes of, shades of, smacks of), a new/modern-day/the next <referent>, <referent>-style, a <referent> "
     "moment, a repeat of, worse than <referent>, this generation's <referent>, history repeats itself. Referents "
     "include dated events no gazetteer names ('the 1929 crash', 'the panic of 1907'). Dates and eras used as time references, the referent as a topic "
     "and narration of the subject's own past are not flagged. Referents come from the hand-compiled gazetteers "
     "hist_figures, hist_events and hist_empires (rules/lexicons/), matched case-sensitively; years up to 2009, "
     "decades and centuries are regexes. Hitler/Nazi/Holocaust comparisons are analogy.nazi.")),
 'benchmark': dict(
   severity='warning', lex=['hist_figures', 'hist_events', 'hist_empires', 'hist_nazi'], pats=BENCHMARK,
   message="Historical benchmark '{match}': give the figures and the period, not a record measured against a famous past event.",
   description=("A present event measured against a historical one so that the past supplies the weight: "
     "'the largest/worst/first/deadliest ... since <event or year>', 'not seen since', 'unprecedented since', "
     "'not since', 'never since', 'not been this divided since', 'last seen during'; events include dated ones "
     "('the oil crisis of 1973'), 'the dark days of <referent>' and 'the <word> era'. Referents are the gazetteers hist_figures, hist_events, hist_empires and "
     "hist_nazi (rules/lexicons/, hand-compiled), years 1000-2009, decades and centuries. Benchmarks against recent "
     "years ('the best season since 2019') and plain 'since' time references are not flagged.")),
 'revival': dict(
   severity='warning', lex=['hist_empires', 'hist_events', 'hist_empire_heads', 'hist_adjectives'], pats=REVIVAL,
   message="Revival framing '{match}': describe the actual aims and acts instead of casting them as restoring the past.",
   description=("A present aim framed as bringing back or undoing the past: 'revive/restore/rebuild the <empire>', "
     "'restore Soviet greatness', 'reverse the verdict of 1991', 'undo the collapse of the Soviet Union', "
     "'turn back the clock to the 1930s', 'nostalgic for the Soviet empire'. Head nouns and historical "
     "adjectives come from hist_empire_heads and hist_adjectives, referents from hist_empires and hist_events "
     "(rules/lexicons/, hand-compiled). Restoring buildings, teams or 'former glory' without a historical "
     "referent is not flagged.")),
 'nazi': dict(
   severity='error', lex=['hist_nazi'], pats=NAZI_PATS,
   message="Nazi comparison '{match}': comparisons with Hitler, the Nazis or the Holocaust end arguments; say what is actually being done.",
   description=("A comparison of a present person, group or act with Hitler, the Nazis, Nazi institutions or the "
     "Holocaust ('compared the minister to Hitler', 'like the Gestapo', 'a new Holocaust', 'Goebbels-style "
     "propaganda', 'Goebbelsian'). Same frames as analogy.comparison, higher severity because such comparisons "
     "are the most inflammatory. Referents come from the hand-compiled gazetteer hist_nazi (rules/lexicons/). "
     "Historical narration about Nazi Germany and the Holocaust is not flagged.")),
}

# ---- examples --------------------------------------------------------------
def load_examples():
    ex, rule, kind = {}, None, None
    for line in EX.read_text().splitlines():
        if line.startswith('## analogy.'):
            rule = line[3:].strip().split('.')[1]; ex[rule] = {'flag': [], 'pass': []}
        elif line.startswith('### '):
            kind = line[4:].strip()
        elif line.startswith('- ') and rule:
            ex[rule][kind].append(line[2:])
    return ex

MARK = re.compile(r"\[\[(.+?)\]\]")
def strip(s):
    spans, out, pos, n = [], [], 0, 0
    for m in MARK.finditer(s):
        out.append(s[pos:m.start()]); n += m.start() - pos
        spans.append((n, n + len(m.group(1)))); out.append(m.group(1)); n += len(m.group(1)); pos = m.end()
    out.append(s[pos:]); return ''.join(out), spans

def load_lex(name):
    p = ROOT / 'lexicons' / f'{name}.txt'
    return {l.strip() for l in p.read_text().splitlines() if l.strip() and not l.startswith('#')}

def compile_rule(r):
    lists = {n: load_lex(n) for n in r['lex']}
    return [regex.compile(p, 0, **{n: v for n, v in lists.items() if f'\\L<{n}>' in p}) for p in r['pats']]

def hits(pats, text):
    found = []
    for p in pats:
        for m in p.finditer(text, timeout=5):
            s, e = (m.span('span') if 'span' in p.groupindex and m.start('span') >= 0 else m.span())
            found.append((s, e))
    # engine dedupe: keep longest of overlapping
    found = sorted(set(found), key=lambda x: (-(x[1]-x[0]), x[0]))
    kept = []
    for s, e in found:
        if all(e <= a or s >= b for a, b in kept): kept.append((s, e))
    return sorted(kept)

def yq(s):
    return "'" + s.replace("'", "''") + "'"

def write_yaml(name, r, ex):
    lines = ['kind: pattern', f"message: {yq(r['message'])}", f"severity: {r['severity']}",
             f"description: {yq(r['description'])}", 'ignore-case: false',
             'lexicons: [' + ', '.join(r['lex']) + ']',
             'prefilter:', '  lexicons: [' + ', '.join(x for x in r['lex'] if x != 'hist_empire_heads') + ']',
             f'  radius: {PREFILTER_RADIUS}', '  contains: true',
             '  patterns:'] + [f'    - {yq(p)}' for p in PREFILTER_PATTERNS] + ['patterns:']
    lines += [f'  - {yq(p)}' for p in r['pats']]
    lines += ['examples:', '  flag:'] + [f'    - {yq(x)}' for x in ex['flag']]
    lines += ['  pass:'] + [f'    - {yq(x)}' for x in ex['pass']]
    (ROOT / 'analogy').mkdir(exist_ok=True)
    (ROOT / 'analogy' / f'{name}.yml').write_text('\n'.join(lines) + '\n', encoding='utf-8')

if __name__ == '__main__':
    ex = load_examples()
    compiled = {n: compile_rule(r) for n, r in RULES.items()}
    bad = 0; total = 0
    for name in RULES:
        for kind in ('flag', 'pass'):
            for s in ex[name][kind]:
                text, want = strip(s); total += 1
                got = hits(compiled[name], text)
                if kind == 'pass': want = []
                if got != want:
                    bad += 1
                    print(f'FAIL {name} {kind}: {s}\n   got: {[text[a:b] for a,b in got]}')
        # cross-rule: other rules' examples must not be flagged by this rule unless marked for it
        for other in RULES:
            if other == name: continue
            for s in ex[other]['flag'] + ex[other]['pass']:
                text, _ = strip(s)
                got = hits(compiled[name], text)
                if got:
                    print(f'CROSS {name} fires on {other} example: {s}\n   got: {[text[a:b] for a,b in got]}')
    print(f'{total - bad}/{total} examples ok')
    if '--write' in sys.argv:
        for name, r in RULES.items(): write_yaml(name, r, ex[name])
        print('written')

"""Medical advice: what only a clinician may answer, asked by the visitor or said by an engine.

Inbound, the visitor asks for advice, a diagnosis, a dose, whether a treatment is safe or
suitable for them, or a promise about the result. Questions the clinic's knowledge answers
for everyone ("how much is lip filler", "what is composite bonding", "does it hurt?") pass.
Outbound, a reply must not give advice, a diagnosis, a dose, a suitability verdict or a
promise of results, unless the sentence is the clinic's own approved wording.
"""

from __future__ import annotations

import re

from aescrm.assistant.guardrails.text import clean, compile_all, normalise, sentences

_MEDICINES = (
    r"(?:ibuprofen|paracetamol|aspirin|codeine|co codamol|cocodamol|naproxen|antibiotics?"
    r"|amoxicillin|amoxicilin|metronidazole|penicillin|clindamycin|warfarin|apixaban|rivaroxaban"
    r"|edoxaban|dabigatran|clopidogrel|blood thinners?|anticoagulants?|steroids?|prednisolone"
    r"|roaccutane|isotretinoin|accutane|antihistamines?|insulin|metformin|bisphosphonates?"
    r"|alendronate|methotrexate|antidepressants?|sertraline|fluoxetine|citalopram|the pill"
    r"|contraceptive pill|hrt|ozempic|semaglutide|mounjaro|tirzepatide|wegovy|saxenda"
    r"|liraglutide|zepbound|rybelsus|victoza|glp 1|glp1|painkillers?"
    r"|pain killers?|tramadol|morphine|diazepam|valium|arnica|fish oil|vitamin e|tablets"
    r"|medication|medications|medicine|medicines|meds)"
)
_CONDITIONS = (
    r"(?:pregnant|pregnancy|expecting a baby|trying for a baby|trying to conceive|ttc"
    r"|breastfeeding|breast feeding|breastfeed|nursing mother|diabetes|epilepsy|epileptic"
    r"|heart condition|heart problems?|pacemaker|high blood pressure|low blood pressure"
    r"|blood pressure|hypertension|cancer|chemo\w*|radiotherapy|autoimmune|lupus|hiv"
    r"|hepatitis|haemophilia|hemophilia|bleeding disorder|clotting disorder|allergic to"
    r"|allergy|allergies|asthma|arthritis|keloids?|cold sores?|herpes|psoriasis|eczema"
    r"|osteoporosis|kidney disease|liver disease|immunosuppress\w*|myasthenia|bells palsy"
    r"|thyroid|anaemia|anemia|anaemic|heart murmur|stroke|blood clots?|dvt|mental health"
    r"|body dysmorphia|bdd|latex|lidocaine|lignocaine|anaesthetic allergy|infection|infected"
    r"|abscess|dry socket)"
)
_SYMPTOMS = (
    r"(?:lump|lumps|bump|lesion|ulcer|ulcers|sore|sores|cyst|growth|white patch|red patch"
    r"|patch|mark|spot|rash|swelling|swollen|bruising|bruise|bruised|numb|numbness|tingling"
    r"|redness|tenderness|soreness|pain|ache|aching|throbbing|bleeding|discharge|pus|bad taste"
    r"|droop|drooping|droopy|asymmetry|uneven|headache|migraine|sensitivity|sensitive"
    r"|clicking|locking|loose|wobbly|cracked|crack|hole|black|grey|itchy|itching|hard lump"
    r"|migrated|migration|lumpy|bumpy|nodules?)"
)
_TREATMENTS = (
    r"(?:filler|fillers|botox|anti wrinkle|injections?|implants?|extraction|whitening|veneers"
    r"|bonding|aligners?|invisalign|braces|peel|laser|skin booster|profhilo|treatment|crown"
    r"|root canal|filling|surgery|procedure|numbing|anaesthetic|anesthetic|local)"
)

_NUMBER = (
    r"(?:\d{1,2}|a few|few|a couple of|couple of|one|two|three|four|five|six|seven|eight|nine"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|twenty|thirty)"
)
# Pregnancy, fertility treatment and feeding, however it is put: "im expecting", "6 weeks
# gone", "doing IVF", "still nursing my little one", "just had a baby".
_PREGNANCY = (
    r"\b(?:ivf|in vitro|fertility (?:treatment|clinic|drugs|meds|medication|injections)"
    r"|egg (?:retrieval|collection|freezing)|embryo transfer|trying for (?:a family|another"
    r"|number \w+|our first|a little one)|trying to (?:get pregnant|have a baby)|ttc"
    r"|first trimester|second trimester|third trimester|trimester|baby bump|bun in the oven"
    r"|morning sickness|postpartum|post partum|postnatal|post natal|gave birth|given birth"
    r"|just had (?:a|my|our) (?:baby|son|daughter|little one)|had a baby (?:\S+ ){0,2}ago"
    r"|expressing milk|pumping milk|breast milk|my milk supply)\b"
    r"|\b(?:im|i am|were|we are|shes|she is|currently|found out (?:im|i am|were|we are))"
    r" (?:now |currently |also |still |newly )?expecting\b(?! (?:a (?!baby)|an|the|to|some|any"
    r"|more|much|it|that|this|your|you|results?|swelling|bruising|pain|lots|a lot|him|her"
    r"|them|someone|somebody|delivery|post|parcel|call|email|reply|answer|payment|refund|my"
    r" (?!first|second|third|baby|little))\b)"
    rf"|\b{_NUMBER} (?:weeks?|wks?|months?) (?:gone|pregnant|preg|along|expecting)\b"
    rf"|\b(?:im|i am|shes|she is) (?:only |nearly |almost |about |just )?{_NUMBER}"
    r" (?:weeks?|wks?)(?= (?:can|could|is|should|will|would|do|does|and|so|but|am|now|at the"
    r" moment|atm)\b|$)"
    r"|\b(?:still |currently |im |i am |shes |she is |been |and )nursing\b(?! (?:home|homes"
    r"|staff|degree|student|course|job|background|assistant|practice|qualifications?|team"
    r"|shifts?|career|school|care)\b)"
    r"|\bnursing (?:my|our|a|the) (?:baby|son|daughter|little one|newborn|child|twins)\b"
)

# What a clinic's aftercare sheet covers: "can I … after <treatment>" is general information.
# The visitor's own symptoms, conditions and medicines are still caught by their own checks.
_AFTERCARE_ACTIVITIES = (
    r"(?:drink|drink alcohol|have alcohol|have a drink|drink hot drinks|have hot drinks|smoke"
    r"|vape|exercise|work out|workout|train|go running|run|go to the gym|go to gym|hit the gym"
    r"|go swimming|swim|sunbathe|use a sunbed|go in the sun|wear make ?up|put make ?up on"
    r"|put on make ?up|sleep on|lie down|lie flat|drive|eat|fly|go on a plane|travel"
    r"|go on holiday|massage|rub|touch|wash|wash my face|shower|have a shower|have a bath"
    r"|bath|sauna|go in a sauna|use a sauna|steam room|hot tub|have a facial|get a facial"
    r"|kiss|brush|brush my teeth|go back to work|go to work|wear glasses|wear sunglasses"
    r"|dye my hair|get my hair done|have coffee|drink coffee|drink tea|drink red wine)"
)

# Alcohol, recreational drugs and supplements: whether they matter around the visitor's own
# treatment is a clinician's call ("a glass of wine the night before my botox"), whereas
# "can I drink alcohol after botox" is the clinic's general aftercare text.
_SUBSTANCES = (
    r"(?:alcohol|alcoholic|booze|boozing|wine|wines|prosecco|champagne|fizz|bubbly|beer|beers"
    r"|lager|pints?|cider|spirits|vodka|gin|rum|whisky|whiskey|tequila|cocktails?|a drink"
    r"|(?:a few|few|some|couple of|a couple of|any|several|too many|lots of|loads of|more)"
    r" drinks|drinks (?:party|tonight|do)|night out|out drinking|go drinking|drinking (?:alcohol"
    r"|wine|beer|heavily|session)|glass of (?:wine|red|white|rose|prosecco|fizz|champagne"
    r"|bubbly|beer)|drunk|hangover|hungover|recreational drugs|drugs|weed|cannabis|cbd|spliff"
    r"|cocaine|mdma|ecstasy|ketamine|supplements?|vitamins|vitamin [a-z]\d? (?:tablets"
    r"|supplements?|pills|capsules)|turmeric|curcumin|ginkgo|garlic (?:tablets|capsules|pills)"
    r"|omega 3|fish oil|cod liver oil|st johns wort|ginseng|evening primrose|herbal (?:tablets"
    r"|remedies|supplements|medicine|pills)|green tea extract|collagen (?:supplements?|drinks?"
    r"|powder))"
)
_OWN_TREATMENT = (
    rf"(?:(?:my|her|his|our|tomorrows|todays|mondays|tuesdays|wednesdays|thursdays|fridays"
    rf"|saturdays|sundays|next) (?:\w+ ){{0,2}}(?:{_TREATMENTS}|appointment|appt|session|top up"
    rf"|lips|lip|teeth|jabs?|tweakment|consultation)|(?:{_TREATMENTS}|appointment) (?:tomorrow"
    rf"|today|tonight|this week|next week|on \w+day))"
)
_AROUND = (
    r"(?:before|after|prior to|ahead of|following|since|the night before|the day before"
    r"|the morning of|leading up to|the week before|around|with)"
)

# The visitor asks what their symptom is.
_WHAT_IS_IT = (
    r"(?:what is it|what is this|what is that|whats that|whats this|whats it|what could it be"
    r"|what could that be|could it be|could this be|might it be|is it normal|is this normal"
    r"|is that normal|normal|serious|worried|worrying|concerned|cause|causing|caused|why"
    r"|infected|infection|cancer|should i|do i need|what do i do|what should i do"
    r"|what can i do|is (?:it|that|this)|what does (?:it|that|this) mean|whats wrong"
    r"|what is wrong|gum disease|decay)"
)

INBOUND: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (
    (
        "pregnancy or breastfeeding",
        compile_all(
            r"\b(?:pregnant|pregnancy|expecting a baby|trying for a baby|trying to conceive|ttc"
            r"|breastfeeding|breast feeding|breastfeed|breastfed|nursing mother)\b",
            _PREGNANCY,
        ),
    ),
    (
        "dose or amount",
        compile_all(
            r"^(?!.*\b(?:cost|costs|price|prices|pay|charge|£))"
            r".*\bhow many (?:units|ml|mls|millilitres|milliliters|syringes|vials|cc|mg|tablets"
            r"|pills)\b",
            r"\b(?:what|which|right|correct|max\w*|safe|recommended|usual|normal) (?:dose|dosage"
            r"|doses|amount of \w+)\b|\bdosage\b|\bdose\b|\b\d+ ?(?:mg|milligrams?)\b",
            r"\bhow much (?:botox|anti wrinkle|toxin|filler|ibuprofen|paracetamol|numbing"
            r"|anaesthetic|product)\b(?:\s+\S+){0,3}\s+(?:do|would|will|should|can|could)"
            r" (?:i|we|she|he|you|they)\b(?!.*\b(?:cost|price|pay|charge|£|deposit|spend))",
            # Not "how much notice do i need to give", "how many forms do i need to fill in".
            r"^(?!.*\b(?:cost|costs|price|prices|pay|charge|£|deposit|spend|appointments?"
            r"|visits?|sessions?|treatments?|weeks?|days?|months?|time|aligners?|trays?|notice"
            r"|warning|advance|forms?|paperwork|documents?|id|identification|proof|money|cash"
            r"|change|people|persons?|photos?|pictures?|selfies?|references?|points|hours?"
            r"|minutes?|mins?|miles?|stops?|vouchers?|cards?|parking|tickets?|copies|emails?"
            r"|reminders?|instalments?|installments?|payments?))"
            r".*\bhow (?:many|much)\b(?:\s+\S+){0,4}\s+(?:do|would|will|should) (?:i|she|he|we)"
            r" (?:need|have|get|take|use)\b",
        ),
    ),
    (
        "medicines",
        compile_all(
            rf"\b{_MEDICINES}\b(?=.*\b(?:take|taking|took|on|use|using|stop|before|after|with"
            rf"|while|safe|ok|okay|can|should|prescribe|mix|drink|dose)\b)",
            rf"\b(?:take|taking|took|on|use|using|stop|stopping|prescribe|prescription for|mix"
            rf"|need)\b(?:\s+\S+){{0,3}}\s+{_MEDICINES}\b",
            r"\b(?:prescribe|prescribing) (?:me|her|him|us|them|antibiotics|painkillers|something"
            r"|anything)\b|\bprescription for\b",
        ),
    ),
    (
        "health condition",
        compile_all(
            rf"\b(?:i|im|i am|ive|i have|i had|i get|i suffer|suffer|my|she|he|shes|hes|she has"
            rf"|he has|with|have|had|got|diagnosed)\b(?:\s+\S+){{0,4}}\s+{_CONDITIONS}\b",
            rf"\b{_CONDITIONS}\b(?:\s+\S+){{0,6}}\s+(?:can i|could i|am i|is it|will it|would it"
            rf"|safe|suitable|ok|okay|allowed|affect|matter|problem|still|risk|stop|a problem)\b",
            r"\b(?:diabetes|epilepsy|pacemaker|haemophilia|hemophilia|bleeding disorder"
            r"|blood thinners|immunosuppress\w*|chemo\w*|radiotherapy|keloids?|autoimmune)\b",
        ),
    ),
    (
        "alcohol, drugs or supplements around their treatment",
        compile_all(
            rf"\b{_SUBSTANCES}\b(?:\s+\S+){{0,8}}\s+{_AROUND}\s+(?:\S+\s+){{0,2}}"
            rf"{_OWN_TREATMENT}\b",
            rf"\b{_AROUND}\s+(?:\S+\s+){{0,2}}{_OWN_TREATMENT}\b.*\b{_SUBSTANCES}\b"
            r"(?!.*\b(?:bring|sell|serve|stock|offer|in the|contain|contains)\b)",
            # "i take turmeric supplements, is that ok with filler", "i drink quite a lot"
            rf"\b(?:i|im|i am|she|he|shes|hes) (?:\w+ )?(?:take|takes|taking|on|use|uses|using"
            rf"|drink|drinks)(?: \S+){{0,2}} {_SUBSTANCES}\b(?=.*\b(?:ok|okay|fine|matter|safe"
            rf"|affect|problem|alright|all right|stop|can i|should i|allowed|with)\b)",
            r"\b(?:i|im|i am|she|he) (?:\w+ )?(?:drink|drinks|drinking) (?:a lot|heavily|quite a"
            r" bit|every day|daily|most nights|loads)\b(?! of (?:water|coffee|tea|juice|milk"
            r"|squash|fizzy|pop|cola|smoothies))",
        ),
    ),
    (
        "safety or suitability",
        compile_all(
            # "is lip filler actually safe", "are fillers dangerous", "how safe is botox",
            # "my mum says its dangerous" (not "is my data safe": see _NOT_CLINICAL_SAFETY).
            r"\b(?:is|are|isnt|arent|was|were|be)\b(?:\s+\S+){0,4}\s+(?:actually |really "
            r"|definitely |totally |completely |genuinely |even |very |that |so |too |at all )?"
            r"(?:safe|unsafe|dangerous|risky|harmful|toxic|poisonous|bad for)\b",
            r"\b(?:dangerous|unsafe|risky|harmful|toxic|poison|poisonous|botulism|deadly"
            r"|lethal)\b|\bhow safe\b|\bsafety of\b",
            r"\b(?:is it|is this|is that|are they|is filler|is botox|is whitening|would it be"
            r"|will it be|it is) (?:\w+ )?(?:safe|dangerous|risky|harmful|bad for)\b",
            r"\bsafe (?:for me|for her|for him|for my|to have|to get|to do|to take|to use|with"
            r"|while|during|if|when|after|before|at my age)\b",
            r"\b(?:am i|would i be|is she|is he|are they|will i be|could i be|would she be"
            r"|would he be) (?:a |an )?(?:\w+ )?(?:suitable|eligible|good candidate|candidate"
            r"|right candidate|too old|too young|ok for|okay for|able to have|allowed)\b",
            r"\bsuitable for (?:me|her|him|someone with|people with|a person with|my)\b",
            r"\b(?:side effects?|risks|contraindicat\w*|complications?|dangers?)\b",
            r"\bshould i (?:take|stop|start|use|have|get|go|see|avoid|wait|be worried|worry"
            r"|be concerned|come in|put|apply|rinse|brush|eat|drink)\b",
            # "should I …" asks for a recommendation for the visitor; "can I go to the gym after
            # lip filler" is general aftercare, answered from the clinic's published text.
            rf"\bshould i (?:still )?{_AFTERCARE_ACTIVITIES}\b(?=.*\b(?:after|before|following"
            rf"|since)\b)",
            rf"\b(?:is it|will it be|would it be) (?:ok|okay|fine|alright|all right) (?:to|if)\b"
            rf"(?! (?:i )?(?:still )?{_AFTERCARE_ACTIVITIES}\b(?:\s+\S+){{0,4}}\s+(?:after"
            rf"|before|following)\b)",
        ),
    ),
    (
        "diagnosis",
        compile_all(
            rf"\b{_SYMPTOMS}\b(?=.*\b(?:what is it|what is this|what is that|whats that"
            rf"|whats this|whats it|what could it be|what could that be|could it be|could this be"
            rf"|might it be|is it normal|is this normal|is that normal|normal|serious|worried"
            rf"|worrying|concerned|cause|causing|caused|why|infected|infection|cancer|should i"
            rf"|do i need|what do i do|what should i do|what can i do|how long)\b)",
            r"\b(?:is it normal|is this normal|is that normal|normal to have|what causes"
            r"|why (?:is|are|does|do|has|have) my|whats wrong with|what is wrong with"
            r"|diagnos\w*)\b",
            # "do i have gum disease?"; not "do i have to pay", "could i have a check up"
            # (the named conditions after an article are matched below).
            r"\b(?:do i have|have i got|could i have)\b(?! (?:to|a|an|some|any|the|my|it|one"
            r"|them|this|that|these|those|time|enough|anything|something|everything|both|all"
            r"|more|another|same|your|an? appointment|\d+\w*|\w+ (?:appointments?|slots?"
            r"|booking|check ups?|tomorrow|today|next|on|at|this|with|for))\b)(?= \w)",
            rf"\b(?:i have|ive got|i got|theres|there is|i noticed|i can see|i found|my \w+ has)"
            rf"(?: \S+){{0,3}} (?:a |an )?{_SYMPTOMS}\b(?=.*\b(?:what|why|is it|normal|should"
            rf"|worried|after|since)\b)",
            r"\bhow long (?:does|do|will|should|did) (?:the |my |it |this )?(?:usually |normally"
            r" )?(?:swelling|bruising|bruise|pain|numbness|soreness|redness|tenderness|bleeding"
            r"|lumps?|headache|tingling|sensitivity|aching|discomfort)\b",
            rf"\b(?:swelling|bruising|bruise|pain|numbness|soreness|redness|tenderness|bleeding"
            rf"|lumps?|sensitivity|discomfort|tingling)\b(?:\s+\S+){{0,4}}\s+(?:after|since)\b"
            rf"(?:\s+\S+){{0,3}}\s+{_TREATMENTS}\b(?=.*\b(?:how long|last|normal|should|when"
            rf"|why|go down|go away|settle|worried|what)\b)",
            r"\bmy (?:\w+ ){0,2}(?:is|are|has|have|feels?|looks?|went|gone|got|keeps?|seems?)"
            r"(?: \S+){0,2} (?:lumpy|bumpy|uneven|droopy|drooping|sensitive|bleeding|numb|swollen"
            r"|bruised|sore|infected|loose|wobbly|migrated|moved|hard|itchy|tingling|throbbing"
            r"|aching|lopsided|asymmetric\w*|painful|hurting|stinging|burning)\b",
            r"\b(?:toothache|tooth ache|sensitive teeth|gum disease|bleeding gums|dry socket"
            r"|wisdom tooth pain|jaw pain|abscess|infection|infected)\b(?=.*\b(?:what|why|how"
            r"|should|is it|normal|help|cure|fix|treat|do i)\b)",
            # "my tooth hurts when i drink cold things, what is it?"
            rf"\bmy (?:\w+ ){{0,2}}(?:hurts?|aches?|throbs?|stings?|twinges?|bleeds?|bleeding"
            rf"|is hurting|are hurting|keeps? hurting|keeps? bleeding|clicks?|clicking)\b"
            rf"(?=.*\b{_WHAT_IS_IT}\b)",
            # "is that gum disease?", "could it be an infection?"
            r"\b(?:is (?:it|that|this)|could (?:it|that|this) be|might (?:it|that|this) be"
            r"|would (?:it|that|this) be|do i have|have i got|could i have|am i getting)"
            r"(?: \S+){0,2} (?:gum disease|gingivitis|periodontitis|periodontal|infection"
            r"|infected|an abscess|abscess|decay|a cavity|cavity|cavities|cancer|an allergy"
            r"|allergic|a reaction|nerve damage|a dead tooth|dead|dry socket|tmj|bruxism"
            r"|grinding|sinusitis|a cold sore|cold sore|an ulcer|ulcer|cracked|a crack"
            r"|broken|erosion|enamel erosion|receding gums|receding|a cyst|cyst)\b",
        ),
    ),
    (
        "promise of results",
        compile_all(
            r"\b(?:will|would|can|could|does|do|is)\b(?:\s+\S+){0,6}\s+(?:definitely|100"
            r"|guarantee\w*|for sure|certainly|promise|permanently|permanent|forever"
            r"|completely|totally|100 percent|no doubt)\b",
            r"\bguarantee\w*\b|\bpromise (?:me|that|it)\b",
            r"\b(?:will|would)\b(?:\s+\S+){0,4}\s+(?:work for me|work on me|get rid of my"
            r"|cure my|fix my|make me look|suit me|look natural on me|help my)\b",
            # "how many years younger will i look", "will it take ten years off me"
            r"\b(?:years?|yrs|decades?) (?:younger|off me|off my face)\b|\byounger looking\b"
            r"(?=.*\b(?:will|would|how)\b)",
            r"\b(?:will|would|can|could|does|do|how much)\b(?:\s+\S+){0,5}\s+(?:look|looking"
            r"|make me|make her|make him|appear|feel)(?:\s+\S+){0,2}\s+(?:younger|older"
            r"|better|prettier|more attractive|thinner|slimmer|like a different person|like"
            r" myself again)\b",
            r"\btake (?:\w+ )?years off\b",
            r"\bwill (?:my|the|her|his) (?:\w+ ){0,2}(?:wrinkles|lines|gap|gaps|stains?|scars?"
            r"|crooked teeth|overbite|underbite|jowls|bags|dark circles|frown lines|crows feet)"
            r" (?:go|disappear|vanish|be gone|go away|be fixed|be straight)\b",
            r"\bwhat results will i get\b|\bhow (?:will|would) i look\b",
        ),
    ),
    (
        # "Does it hurt?" is answered for everyone; "will it hurt? I'm a wimp with needles"
        # asks how it will be for them, with their fear or pain threshold: a clinician's call.
        "pain for them personally",
        compile_all(
            r"\b(?:hurt|hurts|painful|pain|sore|sting|stings|uncomfortable)\b"
            r"(?=.*\b(?:wimp|baby with|scared|terrified|frightened|afraid|phobia|phobic|hate"
            r" needles|needles scare|anxious|anxiety|nervous|panic\w*|faint\w*|low pain"
            r" threshold|pain threshold|sensitive to pain|cannot handle pain|cannot cope with"
            r" pain|bad with pain)\b)",
            r"\b(?:wimp|scared|terrified|frightened|afraid|phobia|phobic|hate needles|anxious"
            r"|nervous|low pain threshold|pain threshold|sensitive to pain|bad with pain)\b"
            r"(?=.*\b(?:hurt|hurts|painful|pain|sore|sting|stings|uncomfortable)\b)",
        ),
    ),
    (
        "asks for medical advice",
        compile_all(
            r"\bmedical advice\b|\bwhat (?:should|do|can) i (?:take|do about|use for|put on)\b",
            r"\b(?:recommend|suggest) (?:a |any |some )?(?:painkillers?|medicines?|medication"
            r"|tablets|cream|mouthwash|something for|anything for)\b",
            # "whats the best painkiller for toothache", "which antibiotics should i get"
            r"\b(?:best|strongest|good|right|which|what|any) (?:\w+ )?(?:painkillers?|pain"
            r" killers?|pain relief|antibiotics?|medicines?|medication|tablets|pills|cream"
            r"|gel|mouthwash|remedy|remedies)\b(?= .*\b(?:for|should|to take|to use|can i)\b)",
        ),
    ),
)

# Questions the knowledge base answers for everyone; they never count as medical by
# themselves, whatever else is matched ("does it hurt?", "what should i avoid after filler?",
# the clinic's aftercare sheet).
_FAQ = compile_all(
    r"^(?:does|will|would|is) (?:it|this|that|the treatment|\w+ \w+|\w+) (?:hurt|painful"
    r"|sore)(?: much| a lot)?$",
    rf"^(?:so |and |ok |okay )?(?:what|which things|anything) (?:should|do|must) i (?:avoid"
    rf"|not do|stay away from|steer clear of)(?: doing)? (?:after|before|following)"
    rf"(?: (?:my|the|a|having|getting))?(?: \w+)? {_TREATMENTS}$",
)


# "is my data safe with you", "is it safe to park outside": safety, but not a clinical one.
_NOT_CLINICAL_SAFETY = re.compile(
    r"\b(?:data|details|info|information|card|payments?|money|deposit|car|cars|parking|park"
    r"|building|premises|website|site|online|chat|privacy|belongings|bags?|pram|buggy"
    r"|neighbourhood|street|road|walk|area)\b"
)
_CLINICAL = re.compile(
    rf"\b(?:{_TREATMENTS}|{_CONDITIONS}|{_MEDICINES}|teeth|tooth|lips?|skin|face|gums?|body"
    r"|health|baby|pregnan\w*)\b"
)


# "new patient exam asap please, tooth has been a bit sensitive": booking an appointment
# for a symptom is what the visitor should do, not a request for a diagnosis; asking what it
# is, whether it is normal or what to do still is.
_BOOKING = re.compile(
    r"\b(?:book|booking|booked|appointment|appointments|appt|check ?up|checkup|exam"
    r"|examination|consultation|hygiene|hygienist|fit me in|squeeze me in|get me in|see someone"
    r"|be seen|get seen|come in|pop in|slot|slots|asap|earliest|availability|available"
    r"|soonest|first free)\b"
)
_ASKS = re.compile(
    rf"\b(?:{_WHAT_IS_IT}|how long|what (?:can|should|do) i|is (?:it|that|this) (?:ok|okay"
    r"|fine|bad)|go away|get worse|wait|treat it|fix it|cure|could it|would it)\b"
)


def detect_medical_question(message: str) -> str | None:
    text = normalise(message)
    if any(p.search(text) for p in _FAQ):
        return None
    for reason, patterns in INBOUND:
        if any(p.search(text) for p in patterns):
            if (
                reason == "safety or suitability"
                and _NOT_CLINICAL_SAFETY.search(text)
                and not _CLINICAL.search(text)
            ):
                continue
            if reason == "diagnosis" and _BOOKING.search(text) and not _ASKS.search(text):
                continue
            return reason
    return None


_ADVICE = compile_all(
    r"\byou (?:should|must|need to|ought to|can safely|could) (?:take|stop taking|stop|start"
    r"|avoid taking|use|apply|double|increase|reduce)\b",
    r"\btake (?:\d+|one|two|three|four|a couple of) ?(?:mg|ml|tablets?|pills?|capsules?)\b",
    r"\b\d+ ?(?:mg|milligrams?)\b",
    rf"\b(?:take|taking|try|use)(?: \S+)? {_MEDICINES}\b",
    r"\b(?:it is|its|it will be|this is|that is|thats|they are|theyre|filler is|botox is"
    r"|treatment is|anti wrinkle treatment is) (?:perfectly |completely |totally |absolutely"
    r" |entirely |very |quite )?safe (?:for you|to|during|while|with|in pregnancy|if|for your)\b",
    r"\b(?:100|one hundred) ?(?:percent )?safe\b|\b(?:completely|perfectly|totally|absolutely)"
    r" safe\b|\brisk free\b|\bno risks?\b|\bwithout (?:any )?risk\b",
    r"\b(?:you will|you would|youll|youd) (?:need|require|want)"
    r" (?:about |around |roughly |approximately )?\d+ ?(?:units|ml|mls|syringes|vials)\b"
    r"|\b\d+ ?units\b",
    r"\bguarantee\w*\b|\bwill definitely\b|\bdefinitely (?:work|get rid|remove|fix|cure)\b"
    r"|\bpermanent results\b|\bresults are permanent\b|\bno side effects\b",
    r"\byou (?:dont|do not|wont|will not) need to (?:see|visit|call|contact|speak to|worry)\b"
    r"|\bno need to (?:see|visit|call|contact|speak to|worry)\b|\bnothing to worry about\b",
    r"\b(?:sounds|looks|seems) like (?:an? |you have |its |it is )?(?:infection|abscess|dry socket"
    r"|an allergy|allergic|gum disease|cold sore|ulcer|nerve damage|normal|nothing serious"
    r"|a reaction|vascular|cancer|tmj|bruxism|sinusitis|decay)\b",
    r"\byou (?:probably |likely |may |might |most likely |definitely )?(?:have|ve got|have got)"
    r" (?:an? )?(?:infection|abscess|dry socket|gum disease|periodontitis|gingivitis|cold sore"
    r"|ulcer|nerve damage|allergy|tmj|bruxism|decay|cavity)\b",
    r"\b(?:its|it is|thats|that is|this is) (?:probably|likely|most likely|just|only|almost"
    r" certainly) (?:an? )?(?:infection|abscess|dry socket|normal|nothing|fine|cold sore|ulcer"
    r"|bruise|bruising|a reaction|allergy|swelling)\b",
    r"\b(?:you are|youre|you re|you would be|youd be|you will be|youll be) (?:an? )?"
    r"(?:ideal |perfect |good |great |suitable )?(?:suitable|eligible|candidate|fine to have"
    r"|ok to have|okay to have)\b",
    r"\b(?:perfect|ideal|great|good) candidate\b",
    r"\b(?:you can|its fine to|it is fine to|its ok to|it is ok to|its okay to|it is okay to)"
    r" (?:carry on|keep|continue) (?:taking|using|with)\b",
    r"\bdiagnos(?:is|e|ed) (?:is|as|you)\b",
)


def _plain(text: str) -> str:
    return " ".join(clean(text).lower().split())


def medical_advice_in_reply(text: str, grounding_text: str = "") -> str | None:
    """The advice phrase in a reply, unless its sentence is the clinic's own approved text."""
    grounded = _plain(grounding_text)
    for sentence in sentences(text):
        norm = normalise(sentence)
        for pattern in _ADVICE:
            found = pattern.search(norm)
            if found and not (grounded and _plain(sentence).strip() in grounded):
                return found.group(0)
    return None

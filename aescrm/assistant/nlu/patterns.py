# ruff: noqa: E501
"""The intent patterns: regular expressions over normalised text, each with a weight 0..1.

Read by ``intents.classify``. The text they see is ``text.normalise``d: lower
case, no punctuation, contractions expanded ("can't" -> "cannot", "I'm" -> "i am"),
misspellings mapped ("apointment" -> "appointment"). Write a pattern for a family
of phrasings, not one sentence; a negative weight damps the intent instead.
"""

from __future__ import annotations

_TREATMENTS = r"(anti-wrinkle|botox|top-up|filler-dissolving|weight-loss-injection|filler|lip|invisalign|aligner|veneer|implant|bonding|crown|whitening|profhilo|booster|peel|microneedling|teeth-straightening|braces|hygienist|examination|treatment|it|this|that|them)"
_TREATMENT_NAMES = _TREATMENTS.replace("|treatment|it|this|that|them)", ")")
_MONEY = r"(price|cost|charge|charged|fee|fees|quote|tariff|rates|expensive|cheap|cheaper|cheapest|affordable|afford|pounds|quid|deal|deals|discount|discounts|ballpark|estimate|rough idea|rough figure)"
_DAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|weekends|weekday|weekdays|bank holidays?|christmas|easter|today|tomorrow|tonight)"
_BODY = r"(face|facial|throat|tongue|eye|eyes|cheek|cheeks|jaw|neck|mouth|gum|gums|airway)"
_MEDS = r"(ibuprofen|paracetamol|aspirin|antibiotic|antibiotics|warfarin|blood thinners?|medication|medications|medicine|tablets|painkillers?|roaccutane|isotretinoin|steroids?|antihistamines?|the pill|codeine|amoxicillin|metronidazole)"

PATTERNS: dict[str, list[tuple[str, float]]] = {
    "emergency": [
        (
            r"\b(cannot|unable to|struggling to|hard to|difficult to|trouble|difficulty|problems?) (breathe|breathing|swallow|swallowing)",
            0.97,
        ),
        (r"\b(short of breathe|breathless|not breathing|stopped breathing|choking)\b", 0.95),
        (
            rf"\b{_BODY}\b( [\w-]+){{0,4}} (swelling|swollen|swelled|puffed up|puffing up|ballooning|closing up)",
            0.92,
        ),
        (
            rf"\b(swelling|swollen|swelled)\b( up)?( in| of| on| around)?( my| the| her| his)? {_BODY}\b",
            0.92,
        ),
        (
            r"\b(severe|heavy|heavily|lots of|a lot of|loads of|uncontrolled|profuse|pouring|gushing|excessive)\b( [\w-]+){0,3} (bleeding|bleed|blood)",
            0.95,
        ),
        (
            r"\b(bleeding|bleed)\b( [\w-]+){0,3} (will not|does not|would not|cannot|not) (stop|stopping)",
            0.95,
        ),
        (
            r"\b(bleeding|bleed)\b (heavily|loads|a lot|badly|profusely|everywhere|non stop|nonstop|constantly)\b",
            0.95,
        ),
        (r"\b(still bleeding|keeps bleeding|bleeding a lot|bleeding loads)\b", 0.8),
        (
            r"\b(lip|skin|nose|area|face|cheek|chin|it)\b( [\w-]+){0,3} (went|turned|gone|going|turning|is|looks|look) (very |really |quite )?(white|pale|grey|gray|blue|purple|dusky|mottled|blotchy|black)",
            0.95,
        ),
        (r"\b(blanching|blanched|blanch|mottling|vascular occlusion|occlusion|necrosis)\b", 0.95),
        (
            r"\b(blurred|blurry|lost|loss of|losing|double|changes? in|problems? with)( my)? (vision|sight|eyesight)\b|\bcannot see\b(?! (any|a|the|much|no|what|why|how|where|if|when|whether|your|you|it|them|that|this|my (booking|appointment|results?|difference)|anything (on|about|in|for|wrong|different)|difference|improvement|change|result|results|who|which|myself|price|prices|an? option|option|options|link|button|times|slots|the point))|\bcannot see a (thing|bloody thing)\b",
            0.95,
        ),
        (
            r"\b(abscess|infection|infected|swelling|swollen)\b.*\b(fever|temperature|shivering|chills|spreading|feel really ill|feel very ill)\b",
            0.95,
        ),
        (
            r"\b(fever|temperature|shivering|chills)\b.*\b(abscess|infection|infected|swelling|swollen|tooth|extraction|filler)\b",
            0.9,
        ),
        (
            r"\b(anaphylaxis|anaphylactic|allergic reaction|severe reaction|chest pain|heart attack|stroke|seizure|fitting|unconscious|passed out|fainted|collapsed|collapse|not responding)\b",
            0.95,
        ),
        (r"\b(999|a and e|a e|ambulance|emergency room|kill myself|suicidal|end my life)\b", 0.9),
        (
            r"\b(knocked out|knocked my|broken jaw|broke my jaw|dislocated|cracked in half|snapped)\b",
            0.85,
        ),
        # A tooth that fell out is urgent; a filling or crown that fell out is a booking.
        (r"\b(tooth|teeth)\b( [\w-]+){0,3} (fell|fallen|came|come) out\b", 0.85),
        # Infection spreading from a treated area.
        (
            r"\b(hot|red|redness|rash|swelling|swollen|inflamed|painful)\b( [\w-]+){0,8} (spreading|spread|getting bigger|growing)\b",
            0.9,
        ),
        (
            r"\b(severe|unbearable|excruciating|agonising|agonizing|terrible|extreme|throbbing) (pain|toothache|tooth ache|ache)\b|\b(in agony|killing me)\b",
            0.85,
        ),
        # "Emergency appointment" is a treatment on the price list, not an emergency; the
        # guardrails still read the message for real symptoms. "Help me" alone is not
        # urgent ("help me with my tax return").
        (
            r"\b(emergency|urgent|urgently)\b(?! (appointment|appointments|dental|dentist|slot|slots|treatment|consultation|fee|price|cost))|\basap help\b|^(please )?help( me)?( please)?$|\bhelp me (now|quick|quickly|urgently)\b",
            0.7,
        ),
        (r"\b(toothache|tooth ache|abscess|dry socket)\b", 0.7),
        # "Emergency" as a figure of speech or denied: "my bank balance is the real
        # emergency", "not an emergency", "no rush". Symptoms keep their own weight
        # through the guardrails, which read the message themselves.
        (
            r"\b(bank|bank balance|balance|wallet|purse|bank account|overdraft|money|finances|budget|bills?|hair|nails|eyebrows?|brows|wardrobe|outfit|fashion|style|makeup|make up|selfie|instagram|wedding planning)\b( [\w-]+){0,4} (emergency|urgent)\b|\b(not|no|nothing|is not|isnt|non)( an?| really| that| too| very| super)? (emergency|urgent|rush|hurry)\b(?! (appointments?|dental|dentists?|slots?|care|line|number|services?|department))|\bnot urgently\b",
            -0.9,
        ),
    ],
    "medical": [
        (
            r"\b(pregnant|pregnancy|breastfeeding|breast feeding|nursing|trying for a baby|ivf)\b",
            0.9,
        ),
        (r"\b(how many|what number of) (units|syringes|ml|mls|vials|areas)\b", 0.9),
        (
            r"\bhow much\b(?! (notice|warning|time|advance|deposit|money|of a deposit)\b)( [\w-]+){0,3} (do|would|will|should) (i|you|she|he|we) (need|use)\b",
            0.85,
        ),
        (r"\b(units|ml|syringes?) (do|would|will|should) i (need|have)\b", 0.85),
        (
            rf"\b(can|should|could|may) (i|she|he|we) (take|have|use|drink|keep taking|stop taking) .*\b{_MEDS}\b",
            0.9,
        ),
        (rf"\b{_MEDS}\b", 0.75),
        (
            r"\b(am i|are we|is she|is he|would i be|would it be) (suitable|a (good |suitable )?candidate|eligible|ok to have|too old|too young)\b",
            0.9,
        ),
        (
            r"\b(suitable|right|safe|good|ok|okay) for me\b|\b(work|worth it) for me\b|\b(will|would|could|can) (it|this|that|they) help (with )?my\b",
            0.8,
        ),
        (
            r"\b(is it|is this|is that|are they|would it be|will it be) (safe|dangerous|risky|ok|okay)\b( [\w-]+){0,4} (if|while|when|with|after|during|for)\b",
            0.85,
        ),
        (
            r"\b(i have|i have got|i have had|i got|there is|i found|i noticed)( a| an| some)?( [\w-]+)? (lump|lumps|rash|mole|cyst|bump|lesion|growth|spot|ulcer|sore|patch|discharge)\b",
            0.9,
        ),
        (
            r"\b(diagnose|diagnosis|symptom|symptoms|what is wrong with|what is this|what could it be|is it serious|should i be worried|worried about|concerned about)\b",
            0.8,
        ),
        (
            r"\b(allergic to|allergy|allergies|diabetes|diabetic|epilepsy|epileptic|autoimmune|lupus|cold sores?|herpes|keloid|blood pressure|heart condition|medical condition|condition|haemophilia|cancer|chemo|chemotherapy|bisphosphonates|immunosuppressed)\b",
            0.8,
        ),
        (r"\b(is it|is this|is that) (normal|expected|usual)\b", 0.8),
        (
            r"\b(bruise|bruised|bruising|numb|numbness|tingling|lumpy|uneven|asymmetric|asymmetrical|droopy|drooping|eyelid|migrated|migration|tender|infected|infection|pus|sensitive|sensitivity|hurts since|still hurts|still sore|headache|nausea|dizzy)\b",
            0.7,
        ),
        (r"\b(swelling|swollen)\b", 0.65),
        # What a result will look like is for the clinician to judge, not a promise.
        (
            r"\b(how (much|many years) younger|years younger|look younger|look (\d+|ten|five) years|(can|do|will|would) you (promise|guarantee)|guaranteed (results?|to)|will (i|it|they|my \w+) (look|make me look) (younger|better|natural|good|nice|different))\b",
            0.8,
        ),
        # A symptom the visitor describes, asking what it is.
        (
            r"\b(tooth|teeth|gum|gums|jaw|lip|lips|skin|face|mouth|tongue|filling|crown|implant)\b( [\w-]+){0,3} (hurts?|hurting|aches?|aching|bleeds?|bleeding|sore|sensitive|throbbing|clicks|clicking|numb|tingles|tingling|itchy|itches|feels? (weird|strange|odd|funny))\b",
            0.8,
        ),
        (
            r"\b(gum disease|gingivitis|periodontitis|periodontal|tooth decay|decay|cavity|cavities|receding gums|gum recession|wisdom tooth coming through|tmj|tmd)\b",
            0.8,
        ),
        (
            r"\b(suit me|suits me|right for me|for someone like me|my age|at my age|in my case)\b",
            0.8,
        ),
        (r"\b(dose|dosage|prescribe|prescription|mg)\b", 0.8),
        (
            r"\b(what should i do|what do i do|do i need to see|should i see a doctor|should i go to)\b",
            0.7,
        ),
    ],
    "complaint": [
        (r"\b(complain|complaint|complaints|complaining|formal complaint|raise a concern)\b", 0.95),
        (
            r"\b(not happy|unhappy|not pleased|displeased|not satisfied|dissatisfied|disappointed|let down|fuming|furious|angry|livid|upset|gutted)\b",
            0.6,
        ),
        (
            r"\b(not happy|unhappy|not pleased|dissatisfied|not satisfied|disappointed)\b( [\w-]+){0,3} (with|about|by) (the |my |your |how |what )?(service|treatment|result|results|outcome|experience|care|appointment|dentist|practitioner|nurse|doctor|staff|clinic|practice|job|work|filler|botox|anti-wrinkle|veneer|veneers|crown|whitening|bonding|invisalign|aligner|lip|i was treated|they|you)\b",
            0.92,
        ),
        (
            r"\b(terrible|awful|horrible|horrendous|appalling|shocking|disgusting|dreadful|rubbish|poor|bad|worst|unacceptable|unprofessional|rude|disgraceful)\b( [\w-]+){0,2} (service|treatment|experience|care|staff|customer service|receptionist|practice|clinic|result|results|job|communication|manner)\b",
            0.9,
        ),
        (
            r"\b(disgusted|overcharged|over charged|charged twice|double charged|how i was treated|how i have been treated|nobody is helping|no one is helping|nobody got back|no one got back|been ignored|keep being ignored|feel ignored)\b",
            0.85,
        ),
        (
            r"\b(nobody|no one|never|still not|not been) (has |have )?(called|rang|phoned|got|emailed|replied|heard)( me)?( back)?\b",
            0.85,
        ),
        # Kept waiting: "I've been waiting 3 weeks for a call back", "still waiting for a reply".
        (
            r"\b(been waiting|still waiting|waited|waiting)\b( [\w-]+){0,4} (weeks|days|months|ages|forever|so long|too long|hours)\b|\b(still waiting|been waiting|waited|waiting)\b( [\w-]+){0,3} (call back|callback|reply|response|answer|refund|someone to call)\b",
            0.85,
        ),
        # Kept waiting at the clinic: "I waited 40 minutes past my appointment time".
        (
            r"\b(waited|waiting|wait|sat there|sitting there|kept waiting|left waiting)\b( [\w-]+){0,4} (\d+|twenty|thirty|forty|fifty|an|over an|half an|45) (minutes|mins|min|hour|hours)\b|\b(kept|left) (me |us )?(waiting|hanging|sitting)\b|\b(waited|waiting)( [\w-]+){0,3} (past|after|beyond) (my|the|our) (appointment|time|slot)\b",
            0.9,
        ),
        (
            r"\b(nobody|no one|noone|never|not even|did not even|without an?|not one) (even )?(apologised|apologized|apologise|apologize|apology|said sorry|say sorry|sorry)\b|\bno (apology|apologies|one said sorry)\b",
            0.9,
        ),
        (
            r"\b(ridiculous|outrageous|shambles|pathetic|unbelievable|disgraceful|appalling|shocking|disgusting|useless service|fed up|sick of|had enough|not good enough|unacceptable)\b",
            0.6,
        ),
        (
            r"\b(rude|unprofessional|botched|butchered|ruined|ripped off|rip off|scam|scammed|waste of money|negligent|negligence|malpractice)\b",
            0.85,
        ),
        (
            r"\b(refund|money back|compensation|solicitor|lawyer|legal action|sue|suing|trading standards|report you|gdc|cqc|ombudsman|review on google|bad review|one star)\b",
            0.8,
        ),
        (
            r"\b(went wrong|gone wrong|not what i asked for|made it worse|worse than before|you messed up|messed up)\b",
            0.8,
        ),
        (
            r"\bnot happy with (my )?(teeth|smile|lip|skin|face|wrinkles|anti-wrinkle|gums|jawline|nose|chin|look|looks)\b(?! (after|since|from))",
            -0.9,
        ),
    ],
    "human": [
        (
            r"\b(speak|talk|chat|speaking|talking) (to|with) (a |an |the |your |some |one of your )?(real |actual |live )?(person|human|someone|somebody|staff|member of staff|team|receptionist|reception|manager|practice manager|dentist|doctor|nurse|practitioner|people|one of the team|real one|agent|operator)\b",
            0.95,
        ),
        (
            r"(?<!are you a )(?<!are you )(?<!you are a )(?<!is this a )(?<!talking to a )(?<!speaking to a )(?<!chatting to a )(?<!chatting with a )\b(real|actual|live) (person|human|people|agent)\b",
            0.9,
        ),
        (r"\b(call|ring|phone) me( back)?\b|\b(callback|call back|ring back|phone back)\b", 0.9),
        # "can you get someone to email me", "have somebody ring me back"
        (
            r"\b(get|have|ask|send) (someone|somebody|a person|a human|the team|a member of (the )?(staff|team)|one of (the|your) team|reception|the receptionist) to (call|ring|phone|email|text|message|contact|get back to|get in touch with|reply to|whatsapp) me\b",
            0.92,
        ),
        # Asking to be put through to someone in charge: "put me through to the manager",
        # "get me your supervisor", "I want the practice manager".
        (
            r"\b(put|pass|transfer|connect|get|give|send|escalate)( me| this| it)? (through |over |on )?(to )?(the |a |your |someone in |somebody in )?(manager|practice manager|clinic manager|supervisor|boss|owner|charge|someone senior|somebody senior)\b|\b(i want|i need|i demand|let me speak to|i would like)( to (speak|talk) (to|with))? (the |a |your )?(manager|practice manager|supervisor|boss|owner|someone in charge|somebody in charge)\b",
            0.92,
        ),
        (
            r"\b(can|could|will|would|please|may) (someone|somebody|you|a person|a human|a real person|the team|your team|the clinic|the office|reception|a member of (the )?(staff|team)|one of (the|your) team|someone from (the|your) (team|clinic|practice|office)|somebody from (the|your) (team|clinic|practice|office))( please)? (call|ring|phone|contact|get back to|get in touch with|email|message|text|whatsapp|reach|reply to|speak to|talk to|chat with) me\b",
            0.92,
        ),
        (
            r"\b(someone|somebody|a person|the team|a human) (to )?(message|text|contact|call|ring) me\b",
            0.85,
        ),
        (
            r"\b(receptionist|reception|human|humans|operator|agent|a person|someone in the office|the office)\b",
            0.75,
        ),
        (
            r"\b(not a bot|not a robot|stop bot|useless bot|you are useless|this is useless|not helpful|not helping|you do not understand|does not understand|not what i asked)\b",
            0.8,
        ),
        # Not wanting the bot: "I don't want to talk to a robot", "get me a human".
        (
            r"\b(do not|dont|not|never|no more|hate|stop) (want to |wanna |going to |talking |speaking |chatting )?(talk|speak|chat|deal|talking|speaking|chatting)?( to| with)? (a |an |the |this |some )?(robot|bot|chatbot|machine|computer|ai|automated|automatic)\b|\b(get|give|find|put|pass|transfer|connect|send|hand) (me )?(a |an |to a |to an |through to a |over to a |on to a |through to |over to |to )?(real |actual |live |proper )?(human|person|human being|real person|somebody real|someone real|member of staff|receptionist|agent|operator)\b|\b(human|person|someone) please\b|\b(someone|somebody|person|human) real\b",
            0.92,
        ),
        # Asking whether this is a bot is small talk (the reply says it is an automated
        # assistant and offers the team), not a request for a person.
        (
            r"\b(am i|are we|i am) (talking|speaking|chatting) (to|with) (a |an )?(real |actual |live )?(person|human|bot|robot|machine|computer|ai|someone|somebody|people)\b(?! (please|now|instead))|\b(are you|is this|is it|is that) (a |an )?(real |actual |live )?(person|human|bot|robot|machine|computer|ai|chatbot)\b",
            -0.9,
        ),
    ],
    "booking": [
        # Not "cancel": the cancellation policy answers that (treatment_info).
        (r"\b(book|booking|booked|rebook|reschedule|move my)\b", 0.85),
        # "When I book", "if I cancel": a question about booking, not a booking.
        (r"\b(when|if|before|after|once|whenever) (i|you|we) (book|booked|booking|rebook)\b", -0.7),
        # Changing one's mind mid-booking: "actually can I do composite bonding instead".
        (
            r"\binstead\b|\b(switch|change|swap) (it |that |this |my booking |my appointment |over )?(to|for)\b|\b(i would|id|i had|i d|would) rather (have|do|get|book|go for|go with)\b|\bmake (it|that) (a|an|the)\b",
            0.6,
        ),
        # Not inside a price or opening-hours question ("how much is a hygienist appointment").
        (
            r"^(?!.*\b(how much|price|cost|costs|charge|fee)\b).*\b(appointment|consultation|slot|slots|session)\b",
            0.6,
        ),
        (
            r"\b(anything|something|any time|anytime|any day|free|space) (free|available|open|on|this|next|tomorrow|today)\b",
            0.75,
        ),
        (
            r"\b(availability|available|free slots?|any space|any spaces|any openings|opening for|fit me in|squeeze me in|get me in|come in|pop in|see someone|get seen|be seen|see the dentist|see a dentist|see the nurse|see a nurse)\b",
            0.75,
        ),
        (
            r"\b(i would like|i want|i need|i am looking|looking|id like|i wish|can i (have|get)|could i (have|get)|i am after|i am interested in|interested in)\b( to| for)?( have| get| book| start)?( a| an| some| my)?( [\w-]+){0,2} (appointment|consultation|slot|session|check|examination|hygienist)\b",
            0.92,
        ),
        (
            rf"\b(i would like|i want|i need|can i (have|get)|could i (have|get)|i am after|interested in|i am interested in|looking to (have|get))\b( to)?( have| get| book| start)?( a| an| some| my)? {_TREATMENTS}\b",
            0.65,
        ),
        (
            rf"\b(when|what) (is|are) (your |the )?(next|earliest|first|soonest)\b|\bwhen can (i|you|we)\b|\b(next|this) (week|month)\b|(?<!open )(?<!closed )(?<!open on )(?<!closed on )(?<!shut )(?<!shut on )\b{_DAYS}\b",
            0.5,
        ),
        # Wanting a treatment soon: "need my tox topping up asap", "earliest for a check-up".
        (
            rf"\b{_TREATMENTS}\b( [\w-]+){{0,4}} (asap|as soon as|soonest|earliest|first available|next available|urgently)\b|\b(asap|soonest|earliest|first available|next available)\b( [\w-]+){{0,4}} {_TREATMENTS}\b",
            0.85,
        ),
        (
            r"\b(need|want|due|overdue|time for|booked in for)( a| my| for a| for my)?( [\w-]+)? top-up\b",
            0.75,
        ),
        (
            r"\b(register|new patient(?! examination)|new patients|join the practice|sign up|taking on|take on|accepting)\b",
            0.75,
        ),
        # How much notice, what happens if I miss it: the cancellation policy answers.
        (r"\b(notice|missed|what happens if|what if i|policy)\b", -0.8),
        # A question about the deposit is the deposit policy, even with "to book" in it.
        (
            r"\b(is there|do i (have to|need to)|do you (take|charge|ask for|need)|how much is|what is)( pay| to pay)?( a| the| any)? deposits?\b",
            -0.8,
        ),
        # "How much is a hygienist appointment?": a price question that names a visit.
        (r"^(how much|what is the (price|cost)|what does|what do)\b", -0.3),
        # "Do I have to pay a deposit to book?": the deposit policy, not a booking.
        (
            r"\b(deposit|deposits|upfront|up front|pay in advance|pay before|non-refundable|refundable)\b",
            -0.6,
        ),
        # Asking what happens at a visit is not asking for one.
        (
            r"\b(what happens|what is involved|what does it involve|what to expect|what can i expect|what will happen)\b",
            -0.6,
        ),
    ],
    "pricing": [
        (
            r"\bhow much\b(?! (time|longer|pain|downtime|does it hurt|will it hurt|do i need|would i need|will i need|should i have|units|filler do|botox do|anti-wrinkle do|notice|warning|advance))",
            0.85,
        ),
        (
            rf"\b{_MONEY}\b|\b(pay for|offer on|offers on|special offer|promotion|promo|voucher|vouchers)\b",
            0.85,
        ),
        (r"\bwhat do you charge\b|\bprice list\b|\bhow much (does|do|is|are|would|will)\b", 0.9),
        (r"\b\d+ ?(pound|pounds|gbp|k)\b", 0.5),
        # Chat shorthand and slang: "hw much 4 X", "what are we looking at money wise".
        (
            r"\b(how much|price|cost) (4|for|of|on)\b|\bwhat (are we|am i|would i be) looking at\b|\bhow much (are we|am i) (talking|looking)\b|\b(price|prices|cost) (please|pls|\?)|\bwhat (does|would|will)( [\w-]+){1,4} (cost|come to|run to|work out at)\b|\b(pay|paying|spend|spending) (for|on)\b",
            0.85,
        ),
        # Paying over time is finance, even though it mentions the cost.
        (
            r"\b(finance|klarna|clearpay|tabeo|monthly|instalment|interest free|payment plan|spread the cost|split the cost|pay over|spread (it|that|this|them)|spread out)\b",
            -0.3,
        ),
    ],
    "finance": [
        (
            r"\b(finance|financing|credit|loan|klarna|clearpay|tabeo|paypal credit|afterpay|instalment|buy now pay later|bnpl)\b",
            0.92,
        ),
        (
            r"\b(pay monthly|monthly payment|monthly payments|pay in instalment|payment plan|spread the cost|spread payments|interest free|split the (cost|payment)|pay over|pay it off|pay in parts|pay in 3|pay in three)\b",
            0.9,
        ),
        (
            r"\b(pay by|pay with|payment methods?|take card|take cards|accept card|accept cards|amex|american express|cash|contactless|apple pay|insurance|denplan|bupa|health insurance)\b",
            0.65,
        ),
        (r"\bmonthly\b", 0.6),
        # "Can I spread that out?", "pay it off over time", "pay it bit by bit".
        (
            r"\bspread (it|that|this|them|the payments?|the cost|payments?|the price)( out| over)?\b|\bspread out\b|\bpay (it |that |this )?(off )?(over time|over a few months|over (\d+|a few|several|six|twelve) months|bit by bit|in chunks|in stages)\b|\b(pay|paying) as (i|you) go\b",
            0.9,
        ),
        # How to pay: "do you accept cash", "can I pay by card".
        (
            r"\b(take|accept|accepted|pay (by|with|in|on)|paying (by|with|in)|use)\b( [\w-]+){0,2} (cash|card|cards|amex|visa|mastercard|apple pay|google pay|cheque|cheques|debit card|credit card|contactless|bank transfer)\b",
            0.92,
        ),
    ],
    "treatment_info": [
        (r"^(what is|what are|what does) ", 0.5),
        (
            rf"\b(what is|what are|tell me about|tell me more|more about|explain|information on|information about|info on|info about|details on|details about|learn about|know more)\b( [\w-]+){{0,3}} {_TREATMENTS}\b",
            0.75,
        ),
        (
            r"\b(how long|how many sessions|how often|how soon|when will i see|when do i see)\b",
            0.75,
        ),
        (
            r"\bhow long\b( [\w-]+){0,4} (walk|walking|drive|driving|journey|bus|train|tube|to get (to you|there|here))\b",
            -0.7,
        ),
        (
            r"\b(how does|how do|how is) (it|this|that|the|they|\w+) (work|done|carried out|performed|feel|last|take)\b",
            0.8,
        ),
        (
            r"\b(does it hurt|will it hurt|is it painful|does that hurt|is it sore|how painful|painful|hurt|hurts|pain)\b",
            0.75,
        ),
        (
            r"\b(last|lasts|results?|downtime|recovery|heal|healing|aftercare|after care|side effects?|risks?|complications|before and after|permanent|reversible|natural looking)\b",
            0.65,
        ),
        (
            r"\b(difference between|better than|versus|vs|compared to|or should i|which is better|what is better|options for|alternatives to)\b",
            0.7,
        ),
        (rf"\bdo you (do|offer|provide|have|carry out|perform|use) {_TREATMENT_NAMES}", 0.55),
        # What the clinic offers at all.
        (
            r"\b(what|which) (treatments|services|procedures|kind of treatments|sort of treatments|types of treatment|types of treatments)\b|\b(treatments|services|procedures) (do you|you) (offer|do|provide|have)\b|\bwhat (else )?(do you|can you) (do|offer)\b|\b(treatment list|treatment menu|list of treatments|menu of treatments)\b",
            0.85,
        ),
        (
            r"\b(what happens|what is involved|what does it involve|what to expect|what can i expect|what will happen)\b",
            0.85,
        ),
        # The clinic's policies: cancelling, deposits, consultation fees, NHS, children, access.
        (
            r"\b(cancel|cancellation|cancelling|cancelled|deposit|refundable|non-refundable|no show|miss my appointment|missed appointment|missed my appointment|missed|running late|late for my appointment|notice)\b",
            0.85,
        ),
        (
            r"\b(is|are) (the |a |an |your )?(initial |first )?(consultation|consultations|first appointment|examination)( [\w-]+){0,2} (free|chargeable|charged|included|complimentary)\b|\bfree consultation\b|\bconsultations? (free|for free|complimentary)\b",
            0.85,
        ),
        (r"\bnhs\b", 0.85),
        (
            r"\b(see|treat|take|do|accept|have)( on)? (children|child|kids|kid|teenagers|teens|under 18s|under eighteens|babies|toddlers|families)\b|\b(children|childrens|child|kids|family) (dentist|dentistry|dental|appointments?|examination)\b|\bhow old (do|does|must|should) (you|i|my|they|he|she|patients)\b|\b(age limit|minimum age|age restriction)\b",
            0.85,
        ),
        # Paying before the visit: the deposit policy ("do I pay anything up front to book").
        (
            r"\b(pay|paying|payment|charge)\b( [\w-]+){0,2} (up front|upfront|in advance|beforehand|to secure|to hold|deposit)\b",
            0.85,
        ),
        # Asking for a child: "my son is 9, can he see the hygienist with me?".
        (
            r"\b(my|our|her|his) (son|daughter|boy|girl|kid|kids|child|children|little one|toddler|teenager|teen|grandson|granddaughter)\b( [\w-]+){0,6} (can|could|would|will|is it|do you|does|allowed)\b|\b(can|could|would|will|do|does) (my|our) (son|daughter|boy|girl|kid|kids|child|children|little one|toddler|teenager|teen|grandson|granddaughter)\b",
            0.7,
        ),
        (
            r"\b(wheelchair|step-free|disabled access|disabled|accessible|accessibility|hearing loop|pram|buggy|lift|stairs|ground floor|mobility)\b",
            0.85,
        ),
        # Aftercare: what may be done after a treatment is on the clinic's aftercare sheet.
        (
            r"\b(can|should|could|when can|how soon can|how long (before|until|till)( can)?) i (go back to |get back to |return to |back to |start |resume |hit |go )?(the )?(drink|drink alcohol|have a drink|exercise|exercising|go to the gym|gym|workout|work out|training|running|fly|travel|sunbathe|go in the sun|smoke|vape|wear makeup|put on makeup|sleep on|shower|swim|swimming|go swimming|get a tattoo|go to the sauna|sauna|have a sauna|go on a sunbed|eat|go back to work|work)\b( [\w-]+){0,3} (after|following)\b",
            0.8,
        ),
        (rf"\b{_TREATMENT_NAMES}\b", 0.45),
        (rf"\b{_MONEY}\b|\bhow much\b|\bfinance\b", -0.3),
        (
            r"\b(allergan|juvederm|restylane|azzalure|bocouture|dysport|xeomin|teoxane|belotero|vistabel|enlighten|boutique whitening|philips zoom|spark aligners|clearcorrect)\b",
            0.7,
        ),
        (
            r"\b(who (does|will do|carries out|performs)|qualified|qualifications|experienced|which brand|what brand|what product)\b",
            0.65,
        ),
    ],
    "opening_hours": [
        (r"\b(opening hours|opening times|hours|opening|open|closing|close|closed|shut)\b", 0.7),
        (
            r"\b(are you|is the (clinic|practice|surgery)|is it|you are|will you be) (open|closed|shut)\b( on| this| next| at| over| during)?( [\w-]+)?",
            0.95,
        ),
        (
            r"\bwhat time (do|does|are|is) (you|the clinic|the practice|it|reception|the surgery) (open|close|shut|start|finish|closing|opening)\b",
            0.97,
        ),
        (
            r"\b(when|what time) (do|does) (you|the clinic|the practice|it) (open|close|shut|finish)\b",
            0.97,
        ),
        (
            r"\b(late night|late opening|evening appointments|weekend appointments|open late|open on|open at)\b",
            0.8,
        ),
        # "Do you do any late evenings?", "are you open after work", "early mornings?".
        (
            r"\b(late|early|evening|night|weekend|saturday|sunday|lunchtime|after work|before work)\b( [\w-]+){0,2} (appointments?|opening|openings|hours|times|slots|sessions)\b|\bdo you do( any)? (late|early|evening|evenings|late evenings|late nights|weekends|weekend|saturdays|sundays)\b|\b(any|do you have) (late|early) (evening|evenings|night|nights|morning|mornings|finish|finishes|appointments?)\b|\bopen (late|early|until|till|til|after|before|in the evening|at the weekend)\b|\b(how late|how early)\b",
            0.85,
        ),
        (r"\bopen to new patients\b|\bopen for new patients\b", -0.6),
        (r"\bopen (wide|my mouth)\b", -0.8),
    ],
    "location": [
        (
            r"\b(where are you|where is the clinic|where is the practice|where is it|where abouts|whereabouts|where exactly|where do i go|where is your)\b",
            0.95,
        ),
        (
            r"\b(address|located|location|directions|postcode|post code|how do i get|how to get|get to you|find you|sat nav|satnav|google maps|map|what floor|which floor|entrance|building)\b",
            0.85,
        ),
        (
            r"\b(parking|park|car|drive|bus|buses|tube|train|station|underground|bike|cycle|walk from|nearest)\b",
            0.75,
        ),
        (r"\b(near|nearby|close to|distance|far from|miles|area)\b", 0.45),
        # Getting here: "how long a walk is it from the station", "how far from the tube".
        (
            r"\bhow (long|far)\b( [\w-]+){0,4} (walk|walking|drive|journey|bus|train|tube|station|from the|from you|to get to you|to get there|away)\b|\b(walking distance|walkable|within walking)\b",
            0.92,
        ),
        # The clinic's phone number and email ("Contact details").
        (
            r"\b(your|the clinics|the clinic|the practice|the practices) (phone number|phone|number|telephone|email|contact|website)\b|\bwhat is (your|the) (phone number|number|email|telephone)\b|^(email|phone number|phone|telephone|contact|number|website)( please)?$|\b(how (do|can|could|should) i|can i|could i) (contact|reach|email|call|ring|phone|get in touch with|get hold of|speak to) (you|the clinic|the practice)\b|\b(call|ring|phone|email|contact) you\b|\bget in touch\b|\bnumber to call\b|\bphone number\b|\b(what|which) (number|phone number|email)( do| should| can)? i (call|ring|use|email|phone|text)\b",
            0.9,
        ),
        (
            r"\b(which|what) (street|road|town|area|building|floor|part of town)\b|\bwhere( are you)? based\b",
            0.9,
        ),
    ],
    "small_talk": [
        (
            r"^(hi|hello|hey|hiya|heya|yo|morning|afternoon|evening|good morning|good afternoon|good evening|greetings|howdy|hi there|hello there|hey there)\b",
            0.6,
        ),
        (
            r"\b(thanks|thank|cheers|ta|appreciate it|appreciated|much appreciated|lovely|brilliant|perfect|great|awesome|amazing|fab|fantastic|cool|nice one|that is helpful|very helpful|helpful)\b",
            0.55,
        ),
        (
            r"\b(bye|goodbye|see you|see ya|take care|have a good day|have a nice day|speak soon|that is all|nothing else|that is everything)\b",
            0.7,
        ),
        (
            r"\b(how are you|how is it going|how are things|you ok|you alright|are you well|how is your day)\b",
            0.8,
        ),
        (
            r"\b(who are you|what are you|what is your name|your name|who am i (talking|speaking|chatting) (to|with)|who is this|(am i|are we) (talking|speaking|chatting) (to|with) (a |an )?(bot|robot|chatbot|computer|machine|ai|real person|human|person|real human)|are you (a |an )?(bot|robot|chatbot|computer|machine|ai|real|human|person|real person|actual person|chat ?gpt)|is this (a |an )?(bot|robot|chatbot|ai|automated|real person|human|person)|you are (a |an )?(bot|robot|ai))\b",
            0.92,
        ),
        (
            r"^(ok|okay|k|kk|fine|sure|alright|right|great|good|lol|haha|ha|hmm|hm|um|er|yes|no|yep|nope|oh)$",
            0.6,
        ),
    ],
    "out_of_scope": [
        (
            r"^(what is|what are|calculate) \d+( \d+)+$|\b(what day|what date|what time is it)\b",
            0.8,
        ),
        (
            r"\b(system prompt|your instructions|previous instructions|ignore (all |your |the )?(previous|above|prior)|jailbreak|pretend (to be|you are)|act as|developer mode)\b",
            0.85,
        ),
        (r"\b(weather|forecast|raining|rain tomorrow|sunny)\b", 0.85),
        # Jobs at the clinic are for the team, not the assistant.
        (
            r"\b(hiring|recruiting|recruitment|vacancy|vacancies|internship|apprenticeship|apprenticeships|work experience|work placement|careers)\b|\b(any|looking for( a)?|apply for( a)?|applying for( a)?) (jobs?|positions?|roles?|vacancies|openings)\b|\b(looking for|need) work\b|\bjobs? (going|available|openings?|opportunities)\b|\b(send|drop off|drop in|hand in|email) (you )?(my|a) (cv|resume)\b|\bmy cv\b",
            0.9,
        ),
        (r"\b(poem|poetry|song|lyrics|story|essay|homework|limerick|haiku|rap)\b", 0.85),
        (r"\b(write|compose|generate|draft) (me )?(a|an|some|my)\b", 0.8),
        (r"\b(joke|jokes|funny|riddle|make me laugh)\b", 0.85),
        (
            r"\b(football|premier league|who won|world cup|cricket|rugby|tennis|match|score|scores|arsenal|chelsea|liverpool|man united|man utd|man city|tottenham|spurs|fifa)\b",
            0.8,
        ),
        (
            r"\b(pizza|restaurant|restaurants|takeaway|pub|pubs|bar|hotel|shop|shops|shopping|cinema|taxi|uber)\b",
            0.8,
        ),
        # A holiday or a flight is often why someone wants treatment before a date
        # ("whitening before my holiday"): out of scope only when it is the errand.
        (
            r"\b(book|booking|find|cheap|cheapest|recommend|recommendations for|best)( me)?( a| an| some| the)? (flights?|holiday|holidays|hotel|hotels)\b(?! (before|after))",
            0.85,
        ),
        (r"\b(?<!bank )(holiday|flights?)\b", 0.5),
        (
            r"\b(news|politics|election|prime minister|president|government|brexit|stocks|stock market|bitcoin|crypto|lottery|horoscope|recipe|cook|movie|film|netflix|tv show|capital of|translate|code|python|javascript|programming|meaning of life|maths|calculate)\b",
            0.8,
        ),
    ],
}

"""Demo catalogue: treatments and prices from shared/domain/uk-clinics.md (GBP, in pence)."""

TREATMENTS = [
    # name, category, minutes, price in pence, prescription-only medicine
    ("New patient examination", "Dental", 30, 7500, False),
    ("Hygienist appointment", "Dental", 30, 7500, False),
    ("Teeth whitening (home kit)", "Dental cosmetic", 30, 35000, False),
    ("Composite bonding (per tooth)", "Dental cosmetic", 60, 30000, False),
    ("Clear aligners consultation", "Orthodontic", 45, 0, False),
    ("Clear aligners (Invisalign) course", "Orthodontic", 45, 400000, False),
    ("Dental implant consultation", "Surgical", 45, 9500, False),
    ("Dental implant (single)", "Surgical", 45, 250000, False),
    ("Porcelain veneer (per tooth)", "Dental cosmetic", 45, 90000, False),
    ("Anti-wrinkle treatment consultation", "Aesthetic", 30, 25000, True),
    ("Dermal filler (lips, 1 ml)", "Aesthetic", 45, 27500, False),
    ("Skin booster", "Aesthetic", 45, 30000, False),
    ("Chemical peel", "Aesthetic", 45, 11500, False),
    ("Laser hair removal (small area)", "Aesthetic", 15, 8000, False),
]

PRACTITIONERS = {
    "harbour": [
        ("Dr Amelia Hart", "Dentist", "GDC 123456"),
        ("Dr Rohan Mistry", "Dentist", "GDC 234567"),
        ("Sophie Clarke", "Dental hygienist", "GDC 345678"),
        ("Nurse Grace Okafor", "Aesthetic nurse prescriber", "NMC 12A3456E"),
    ],
    "northgate": [
        ("Dr Tomasz Nowak", "Dentist", "GDC 456789"),
        ("Hannah Reid", "Dental hygienist", "GDC 567890"),
    ],
}

FIRST_NAMES = [
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Willow", "Emily", "Ella", "Poppy", "Evie", "Aisha", "Zara", "Priya",
    "Oliver", "George", "Noah", "Arthur", "Leo", "Muhammad", "Harry", "Oscar", "Archie", "Henry",
    "Jack", "Theo", "Charlie", "Freddie", "Alfie", "Thomas", "Joshua", "Ethan", "Kwame", "Siobhan",
]
LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
    "Clarke", "Khan", "Hughes", "Edwards", "Turner", "Murphy", "O'Brien", "Singh", "Kowalski", "Nguyen",
]

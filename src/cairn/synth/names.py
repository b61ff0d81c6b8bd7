"""Small built-in lists the synthetic authority draws names and places from.

Common English given and family names and invented streets: no real person's record is used.
"""

GIVEN_FEMALE = (
    "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow",
    "Rosie", "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella",
    "Evelyn", "Phoebe", "Sofia", "Evie", "Charlotte", "Harper", "Millie", "Matilda", "Maya",
    "Sophie", "Alice", "Emilia", "Isabelle", "Ruby", "Luna", "Maisie", "Aria", "Penelope", "Mila",
    "Bonnie", "Eva", "Hallie", "Eliza", "Ada", "Violet", "Esme", "Arabella", "Imogen", "Jessica",
    "Delilah", "Chloe", "Aisha", "Zara", "Hannah", "Layla", "Amira", "Nancy", "Robyn", "Kayla",
    "Leah", "Megan", "Holly", "Lucy", "Erin", "Abigail", "Zoe", "Niamh", "Chantelle", "Jade",
)
GIVEN_MALE = (
    "Noah", "Muhammad", "George", "Oliver", "Leo", "Arthur", "Oscar", "Theodore", "Freddie",
    "Theo", "Archie", "Harry", "Jack", "Henry", "Charlie", "Finley", "Alfie", "Thomas", "Jacob",
    "Lucas", "Isaac", "William", "Tommy", "James", "Edward", "Joshua", "Max", "Ethan", "Reggie",
    "Albie", "Arlo", "Mason", "Hugo", "Jude", "Rory", "Louie", "Teddy", "Elijah", "Ronnie",
    "Roman", "Harrison", "Ezra", "Luca", "Sonny", "Jaxon", "Zayn", "Riley", "Kai", "Tyler",
    "Callum", "Connor", "Kieran", "Dylan", "Liam", "Jordan", "Ryan", "Nathan", "Aaron", "Ibrahim",
    "Yusuf", "Adam", "Daniel", "Samuel", "Ben", "Lewis", "Owen", "Jamal", "Tariq", "Kofi",
)
FAMILY = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
    "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
    "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
    "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Ahmed", "Okafor",
    "Mensah", "Nowak", "Kowalski", "Osei", "Francis", "Grant", "Reid", "Burke", "Doyle",
)
STREETS = (
    "Acacia Avenue", "Alder Close", "Ash Grove", "Beech Road", "Birch Way", "Bramble Lane",
    "Cedar Street", "Chestnut Drive", "Clover Court", "Elm Terrace", "Fern Walk", "Hawthorn Road",
    "Hazel Mews", "Holly Crescent", "Juniper Gardens", "Larch Rise", "Laurel Place", "Linden Row",
    "Maple Street", "Meadow View", "Mill Lane", "Oak Avenue", "Orchard Way", "Poplar Close",
    "Rowan Road", "Station Road", "Sycamore Drive", "Victoria Street", "Willow Lane",
    "Yew Tree Court", "Church Street", "Park Road", "High Street", "Queens Road", "King Street",
    "Canal Side", "Foundry Lane", "Weavers Row", "Ropewalk", "Brook Street",
)
TOWNS = ("Cairnford", "Millbridge", "Ashby Vale", "Northwold", "Eastmere", "Southgate",
         "Westholme", "Kingsmoor")
# Outward codes in the format of real ones (AA9 9AA and A9 9AA shapes); the invented streets make
# the addresses fictional even where an outward code exists.
POSTCODE_AREAS = ("CF1", "CF2", "CF3", "CF4", "CF5", "CF6", "MB1", "MB2", "MB3", "NW7", "NW9",
                  "EM4", "EM5", "SG1", "SG2", "WH3")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the inward code's letters never use C, I, K, M, O, V

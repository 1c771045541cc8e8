"""Fixed pools the CRM generator draws from: cities with real coordinates, names, lead and interaction vocabularies.

Values are drawn by index from these small pools with numpy, never one Faker call per field per row.
"""

from __future__ import annotations

# (Name, CountryCode, Latitude, Longitude). The first city of a country is where that country's market is
# served from (crm.MarketHubs); the others give clients real distances to it (CR8 distance bands).
CITIES = [
    ("San Jose", "CR", 9.928069, -84.090725), ("Alajuela", "CR", 10.016250, -84.211630),
    ("Liberia", "CR", 10.635040, -85.437660), ("Limon", "CR", 9.990740, -83.035960),
    ("Guatemala City", "GT", 14.634915, -90.506882), ("Quetzaltenango", "GT", 14.845830, -91.518060),
    ("Panama City", "PA", 8.982379, -79.519870), ("David", "PA", 8.427280, -82.430610),
    ("Mexico City", "MX", 19.432608, -99.133209), ("Guadalajara", "MX", 20.659698, -103.349609),
    ("Monterrey", "MX", 25.686614, -100.316113), ("Cancun", "MX", 21.161908, -86.851528),
    ("Miami", "US", 25.761681, -80.191788), ("New York", "US", 40.712776, -74.005974),
    ("Los Angeles", "US", 34.052235, -118.243683), ("Houston", "US", 29.760427, -95.369804),
    ("Bogota", "CO", 4.710989, -74.072090), ("Medellin", "CO", 6.244203, -75.581215),
    ("Cali", "CO", 3.451647, -76.532013), ("Barranquilla", "CO", 10.963889, -74.796387),
    ("Lima", "PE", -12.046374, -77.042793), ("Arequipa", "PE", -16.409047, -71.537451),
    ("Santiago", "CL", -33.448890, -70.669265), ("Valparaiso", "CL", -33.047238, -71.612688),
    ("Concepcion", "CL", -36.826990, -73.049770),
    ("Buenos Aires", "AR", -34.603722, -58.381592), ("Cordoba", "AR", -31.420083, -64.188776),
    ("Rosario", "AR", -32.944242, -60.650538), ("Mendoza", "AR", -32.889458, -68.845839),
    ("Quito", "EC", -0.180653, -78.467834), ("Guayaquil", "EC", -2.170998, -79.922359),
    ("Santo Domingo", "DO", 18.486058, -69.931212), ("Santiago de los Caballeros", "DO", 19.450000, -70.700000),
    ("Madrid", "ES", 40.416775, -3.703790), ("Barcelona", "ES", 41.385064, 2.173404),
    ("Sevilla", "ES", 37.389092, -5.984459), ("Valencia", "ES", 39.469907, -0.376288),
]

FIRST_NAMES = [
    "Sofia", "Valentina", "Camila", "Isabella", "Mariana", "Lucia", "Daniela", "Gabriela", "Andrea", "Paula",
    "Fernanda", "Natalia", "Laura", "Carolina", "Ana", "Maria", "Elena", "Victoria", "Emma", "Olivia",
    "Mateo", "Santiago", "Sebastian", "Diego", "Nicolas", "Alejandro", "Samuel", "Daniel", "Gabriel", "David",
    "Andres", "Felipe", "Javier", "Carlos", "Luis", "Jose", "Juan", "Miguel", "Pablo", "Tomas",
    "James", "Michael", "Sarah", "Emily", "Noah", "Liam", "Ava", "Mia", "Ethan", "Lucas",
]
LAST_NAMES = [
    "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres",
    "Flores", "Rivera", "Gomez", "Diaz", "Cruz", "Morales", "Reyes", "Gutierrez", "Ortiz", "Castillo",
    "Jimenez", "Vargas", "Romero", "Herrera", "Medina", "Aguilar", "Castro", "Mendoza", "Rojas", "Alvarez",
    "Chaves", "Solis", "Mora", "Araya", "Quesada", "Salazar", "Navarro", "Ruiz", "Molina", "Delgado",
    "Smith", "Johnson", "Brown", "Miller", "Wilson", "Moore", "Taylor", "Anderson", "Thomas", "Clark",
]

LEAD_SOURCES = ["ad_click", "web_form", "social", "email", "sms", "referral", "event"]
LEAD_SOURCE_WEIGHTS = [0.34, 0.18, 0.2, 0.1, 0.06, 0.08, 0.04]
# Statuses of leads that did not buy; a lead whose client bought in that campaign is 'converted'.
OPEN_LEAD_STATUSES = ["new", "contacted", "qualified", "lost"]
OPEN_LEAD_STATUS_WEIGHTS = [0.2, 0.3, 0.2, 0.3]
INTERACTION_KINDS = ["view", "click", "like", "comment", "share", "message", "call"]
INTERACTION_KIND_WEIGHTS = [0.35, 0.25, 0.18, 0.08, 0.06, 0.06, 0.02]

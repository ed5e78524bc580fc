"""Demo content for `manage.py load_demo`: original text written for this project.

Each article names its author by slug, its categories by slug (the first is the kicker) and its date.
"""

SITE = {
    "title": "Informed Comment",
    "tagline": "Thoughts on the Middle East, History and Religion",
    "description": "Analysis and commentary on the Middle East, history, religion, energy and US policy.",
    "copyright_holder": "Informed Comment",
}

CATEGORIES = [
    # slug, name, description
    ("featured", "Featured", "Pieces the editor recommends."),
    ("us-politics", "US politics", "Congress, elections and the presidency."),
    ("middle-east", "Middle East", "News and analysis from the region."),
    ("environment", "Environment", "Climate, water and the land."),
    ("us-foreign-policy", "US Foreign Policy", "Washington and the world."),
    ("energy", "Energy", "Oil, gas, and the move to renewables."),
    ("economy", "Economy", "Markets, work and trade."),
    ("politics", "Politics", "Parties, movements and power beyond the US."),
]

AUTHORS = [
    # slug, display name, bio, login (or None)
    (
        "miriam-haddad",
        "Miriam Haddad",
        "Miriam Haddad writes on the Levant and on the history of its cities. She is the editor.",
        "editor",
    ),
    (
        "daniel-okafor",
        "Daniel Okafor",
        "Daniel Okafor covers energy markets and climate policy from Houston.",
        "contributor",
    ),
    (
        "leila-farahani",
        "Leila Farahani",
        "Leila Farahani is a historian of modern Iran and a regular contributor.",
        None,
    ),
]

PAGES = [
    {
        "slug": "about",
        "title": "About",
        "body": (
            "<p>This is a demo site for an independent commentary publication. It publishes analysis "
            "of the Middle East, history and religion, energy and US foreign policy, written by a "
            "small group of contributors and read by people who want more than headlines.</p>"
            "<p>The site is reader-supported: there are no paywalls and no tracking scripts.</p>"
        ),
    },
    {
        "slug": "submissions",
        "title": "Submissions",
        "body": (
            "<p>We welcome proposals for commentary of 800 to 1,500 words. Send a short pitch, a "
            "line about yourself, and links to earlier work to the editor.</p>"
            "<h2>What we look for</h2><ul><li>Arguments grounded in evidence and history.</li>"
            "<li>Clear prose that a general reader can follow.</li>"
            "<li>Pieces that have not appeared elsewhere, or republication rights.</li></ul>"
        ),
    },
]

MENU = [
    # label, kind, target
    ("Featured", "url", "/featured/"),
    ("US politics", "category", "us-politics"),
    ("Middle East", "category", "middle-east"),
    ("Environment", "category", "environment"),
    ("US Foreign Policy", "category", "us-foreign-policy"),
    ("Energy", "category", "energy"),
    ("Economy", "category", "economy"),
    ("Politics", "category", "politics"),
    ("About", "page", "about"),
    ("Archives", "url", "/archives/"),
    ("Submissions", "page", "submissions"),
]

ARTICLES = [
    {
        "slug": "river-cities-and-the-long-drought",
        "title": "River Cities and the Long Drought",
        "dek": "The Euphrates is lower than anyone now living remembers. Its towns are adapting, slowly.",
        "author": "daniel-okafor",
        "categories": ["environment", "middle-east"],
        "tags": ["water", "climate", "Euphrates"],
        "date": "2025-06-14 09:30",
        "status": "published",
        "featured": True,
        "paragraphs": [
            "Farmers along the middle Euphrates measure the summer by how far they must walk to reach "
            "the water. This year the walk is longer than it was last year, and last year it was "
            "longer than the year before.",
            "Engineers upstream blame a run of dry winters and a thicket of dams built without a "
            "shared plan. Officials downstream blame the engineers. Both are partly right, and "
            "neither explanation waters a single field.",
        ],
    },
]

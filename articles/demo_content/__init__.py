"""Demo content for `manage.py load_demo`: original text written for this project.

The articles live in one module per few years. Each names its author (or a list of authors) by slug,
its categories by slug (the first is the kicker), its date and status (published unless it says
otherwise); its body is plain paragraphs separated by blank lines.
"""

from articles.demo_content import years_2017_2019, years_2020_2021, years_2022_2023, years_2024_2026

SITE = {
    "title": "The Long View",
    "tagline": "Commentary on the Middle East, its past and its faiths",
    "description": "Analysis and commentary on the Middle East, history, religion, energy and US policy.",
    "copyright_holder": "The Long View",
}

CATEGORIES = [
    # slug, name, description. ("Featured" in the menu is the /featured/ list of flagged articles.)
    ("us-politics", "US politics", "Congress, elections and the presidency."),
    ("middle-east", "Middle East", "News and analysis from the region."),
    ("environment", "Environment", "Climate, water and the land."),
    ("us-foreign-policy", "US Foreign Policy", "Washington and the world."),
    ("energy", "Energy", "Oil, gas, and the move to renewables."),
    ("economy", "Economy", "Markets, work and trade."),
    ("politics", "Politics", "Parties, movements and power beyond the US."),
    # Not in the menu, but kickers and archive pages of their own.
    ("history", "History", "The past that explains the present."),
    ("religion", "Religion", "Faith, its institutions and its politics."),
]

AUTHORS = [
    # slug, display name, bio, login (or None)
    (
        "miriam-haddad",
        "Miriam Haddad",
        "Miriam Haddad is the editor. She grew up in Beirut, reported from Baghdad and Damascus "
        "for a decade, and writes on the Levant, Iraq and American policy in the region.",
        "editor",
    ),
    (
        "daniel-okafor",
        "Daniel Okafor",
        "Daniel Okafor covers energy markets, trade and climate policy from Houston, where he "
        "spent twelve years as an analyst in the oil industry before turning to journalism.",
        "contributor",
    ),
    (
        "leila-farahani",
        "Leila Farahani",
        "Leila Farahani is a historian of modern Iran and the wider Islamic world. She teaches "
        "and writes on revolutions, religion and the long memory of the region's cities.",
        None,
    ),
]

PAGES = [
    {
        "slug": "about",
        "title": "About",
        "body": """
<p>The Long View is an independent publication of analysis and commentary on the Middle East,
history and religion, energy, the environment and American politics and foreign policy. It is written
by a small group of contributors who have lived, reported and taught in the places they write about,
and it is read by people who want context rather than headlines.</p>
<p>We publish a few pieces a week. Each tries to answer one question well: what happened, why it
matters, and what the history of the region suggests might come next. We link to our sources and
say plainly when we are arguing rather than reporting.</p>
<h2>Independence</h2>
<p>The site is supported by its readers. There is no paywall, no advertising network and no tracking
script: when you read an article here, nobody else is watching. If you find the work useful, a
donation or a newsletter subscription keeps it going.</p>
<h2>Contact</h2>
<p>Corrections, tips and letters go to the editor at <a href="mailto:editor@example.org">editor@example.org</a>.
For pitches, see <a href="/submissions/">Submissions</a>.</p>
<p><em>This is demo content for the Newsroom software. The writers are fictional.</em></p>
""",
    },
    {
        "slug": "submissions",
        "title": "Submissions",
        "body": """
<p>We welcome proposals for commentary of 800 to 1,500 words. Send a short pitch, a line about
yourself and links to two or three earlier pieces to
<a href="mailto:editor@example.org">editor@example.org</a>. We read everything and reply within a
week, though we cannot always explain a refusal.</p>
<h2>What we look for</h2>
<ul>
<li>Arguments grounded in evidence and in history.</li>
<li>Clear prose that a general reader can follow without a glossary.</li>
<li>Experience of the place or subject you are writing about.</li>
<li>Pieces that have not appeared elsewhere, or that you have the right to republish.</li>
</ul>
<h2>What happens next</h2>
<p>If we accept a pitch, an editor works with you on the draft. You see every change before
publication, and your piece goes out under your name with a short biography. Republished pieces
carry a line naming where they first appeared.</p>
""",
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "body": """
<p>This site sets no advertising or analytics cookies and loads no third-party scripts. Share
buttons are plain links: nothing is sent to a social network unless you click one. Videos load
from YouTube or Vimeo only after you press play.</p>
<p>If you subscribe to the newsletter, we keep your email address to send it, and nothing else.
Every email has a link to unsubscribe, which deletes the address. If you donate, the payment is
handled by PayPal; we keep the name, amount and date for our accounts.</p>
<p>Questions about your data go to <a href="mailto:editor@example.org">editor@example.org</a>.</p>
""",
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
    *years_2017_2019.ARTICLES,
    *years_2020_2021.ARTICLES,
    *years_2022_2023.ARTICLES,
    *years_2024_2026.ARTICLES,
]

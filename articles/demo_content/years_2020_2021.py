"""Demo articles, 2020–2021. Original text written for this project; events are real, words are ours."""

ARTICLES = [
    {
        "slug": "the-soleimani-strike-and-the-logic-of-escalation",
        "title": "The Soleimani Strike and the Logic of Escalation",
        "dek": "Killing Iran's most powerful general was meant to restore deterrence. Whether it did depends on what happens in the next few weeks.",
        "author": "miriam-haddad",
        "categories": ["us-foreign-policy", "middle-east"],
        "tags": ["Iran", "Iraq", "Qassem Soleimani"],
        "date": "2020-01-08 07:30",
        "featured": True,
        "video_url": "https://www.youtube.com/watch?v=bW8sT3nLx1E",
        "video_caption": "A panel discussion on escalation between Washington and Tehran.",
        "video_added_by": "Leila Farahani",
        "body": """
For twenty years Qassem Soleimani was the architect of Iran's regional strategy, the commander who built and directed allied militias from Lebanon to Yemen. Last week an American drone killed him at Baghdad airport. Last night Iran fired missiles at bases in Iraq where American troops are stationed. The world is now waiting to see whether that was the end of the exchange or the beginning.

Supporters of the strike argue that Soleimani had American blood on his hands and was planning further attacks. They say that years of restraint had taught Tehran that it could act through proxies without consequence, and that deterrence required a shock. That argument is serious. Deterrence does depend on the credibility of force.

But deterrence also depends on the other side understanding where the lines are. Killing a senior official of a sovereign state, on the soil of a third country that is nominally an ally of both, is a step previous administrations considered and rejected precisely because it was hard to predict where it would lead. The Iraqi parliament has already voted to ask foreign troops to leave.

Iran's response so far looks calibrated: a barrage designed to be seen as retaliation without killing large numbers of Americans. Tehran has a domestic audience that demands revenge and a strategic interest in avoiding full-scale war with a vastly stronger military. Washington faces a similar balance in reverse.

The greatest danger in such moments is not a deliberate decision to fight. It is accident and miscalculation, made more likely by tension, by nervous air-defence operators and by leaders who have boxed themselves in with public threats.

There is still an off-ramp. Quiet channels through Swiss, Omani or Iraqi intermediaries have worked before. Using them now would not be weakness. It would be recognition that a war nobody wants is still a war.
""",
    },
    {
        "slug": "oil-below-zero",
        "title": "Oil Below Zero",
        "dek": "For one strange day, sellers paid buyers to take American crude. The negative price was a glitch of the futures market and a warning about the industry's future.",
        "author": "daniel-okafor",
        "categories": ["energy", "economy"],
        "tags": ["oil", "pandemic", "futures"],
        "date": "2020-04-21 15:10",
        "body": """
On Monday the price of the May contract for West Texas Intermediate crude fell below zero and kept falling, settling at minus thirty-seven dollars a barrel. It was the first time in history that the benchmark American oil price had gone negative. People who had spent their careers in the industry watched the screens in disbelief.

The technical explanation is straightforward. Futures contracts require the holder to take physical delivery of oil at Cushing, Oklahoma. With the pandemic shutting down travel and industry, demand had collapsed and storage tanks were nearly full. Traders who held contracts but had nowhere to put the oil were willing to pay almost anything to be rid of them before expiry.

The deeper explanation is more troubling for the industry. Even before the virus, the shale boom had been financed by cheap credit and investors' faith in endless growth. Many producers were not making money at forty or fifty dollars a barrel. Now prices for actual barrels delivered in coming months are far below that, and the debts remain.

Here in Houston the mood is grim. Drilling rigs are being stacked in yards. Service companies are laying off workers by the thousand. Some smaller producers will go bankrupt, and their assets will be bought at a discount by larger ones. That consolidation may be the lasting consequence of this crisis.

There is a temptation to treat negative oil as a historical curiosity, a freak event caused by a once-in-a-century pandemic. But it also offered a glimpse of what happens to a commodity when demand falls faster than supply can adjust. If electric vehicles and efficiency eventually erode demand for oil over years rather than weeks, producers will face a slower version of the same squeeze.

The industry has survived busts before. This one should prompt a harder question: what kind of industry does it want to be in twenty years?
""",
    },
    {
        "slug": "beiruts-port-and-the-politics-of-neglect",
        "title": "Beirut's Port and the Politics of Neglect",
        "dek": "The explosion that tore through Lebanon's capital was not an act of war. It was the end point of years of official indifference.",
        "author": "miriam-haddad",
        "categories": ["middle-east", "politics"],
        "tags": ["Lebanon", "Beirut", "corruption"],
        "date": "2020-08-06 10:00",
        "featured": True,
        "body": """
I have walked along the Beirut waterfront hundreds of times. The grain silos at the port were part of the skyline, as familiar as the sea. On Tuesday evening an explosion of stored ammonium nitrate shattered them, killed more than two hundred people and wrecked neighbourhoods kilometres away. Windows broke as far as the mountains.

The most painful fact to emerge so far is that the material had been sitting in a warehouse for about six years. Customs officials, port administrators and judges apparently knew. Letters were written asking what should be done with it. Nothing was done. The chain of responsibility ran through agencies that Lebanon's political parties have long divided among themselves as patronage.

This is the essence of the country's crisis. Lebanon's sectarian power-sharing system was designed to prevent any one community from dominating the others after the civil war. It has instead allowed each faction's leadership to treat state institutions as private property. Electricity, rubbish collection, banking regulation and port safety have all suffered from the same neglect.

The explosion came on top of an economic collapse that had already wiped out savings and pushed much of the middle class into poverty. Lebanese who had queued for hours outside banks to withdraw a few dollars of their own money now find themselves sweeping glass from streets that have no working streetlights.

The volunteers who poured into Gemmayze and Mar Mikhael with brooms and first-aid kits are the best of Lebanon. They are also a rebuke to a state that left its citizens to rescue each other.

International donors are rightly offering help. They should insist that it goes to the people and to independent organisations rather than to ministries. And they should support the call for an independent investigation. Without accountability, the next disaster is already sitting in some warehouse, waiting.
""",
    },
    {
        "slug": "what-a-close-election-teaches-about-counting",
        "title": "What a Close Election Teaches About Counting",
        "dek": "Slow results are not a sign of fraud. They are a sign that officials are counting every ballot, as the law requires.",
        "author": "miriam-haddad",
        "categories": ["us-politics"],
        "tags": ["elections", "voting", "democracy"],
        "date": "2020-11-10 09:45",
        "body": """
For several days last week millions of Americans refreshed their screens as the vote counts in Pennsylvania, Georgia, Arizona and Nevada inched forward. The wait was uncomfortable. It was also the system working as designed, in a year when an unprecedented number of people voted by mail because of the pandemic.

Many states do not allow election officials to begin processing mail ballots until Election Day itself. Each envelope must be opened, each signature checked, each ballot flattened and fed into a scanner. In-person votes are tallied quickly on the night; mail ballots follow. Because one party encouraged its voters to vote by mail and the other discouraged it, early leads shifted as the count went on.

Nothing about this was a surprise to election administrators, who had warned about it for months. Yet the shift was presented by some as suspicious, and claims of fraud spread faster than the facts. Lawsuits were filed in several states. So far they have produced no evidence of irregularities large enough to change any result.

The people who deserve attention now are the county clerks and poll workers, many of them volunteers and many of them retirees, who ran this election during a pandemic while being accused of crimes on national television. Some have received threats. Their professionalism is the reason the count can be trusted.

There are lessons for next time. States could allow earlier processing of mail ballots so that results arrive faster. Officials could explain the expected timeline more loudly before the polls close. News organisations could emphasise that early returns are partial.

Democracy does not require instant results. It requires accurate ones, and the patience to wait for them. That patience is a civic virtue worth defending.
""",
    },
    {
        "slug": "the-sixth-of-january-and-contested-transfers",
        "title": "The Sixth of January and the Long History of Contested Transfers",
        "dek": "America has weathered disputed elections before. It has never before seen a mob break into the Capitol to stop the count.",
        "author": "leila-farahani",
        "categories": ["us-politics", "history"],
        "tags": ["Capitol", "democracy", "Congress"],
        "date": "2021-01-12 08:30",
        "body": """
The peaceful transfer of power is often described as a tradition, as if it were a custom that simply happens. Historians know better. It has been tested repeatedly, and it has survived because people in positions of authority chose to honour it when they had reasons not to.

The election of 1800 was deadlocked in the House of Representatives through thirty-six ballots before Thomas Jefferson prevailed. The contest of 1876 produced rival slates of electors from three southern states and was settled by a commission and a backroom bargain that ended Reconstruction, at terrible cost to Black Americans. In 1960 Richard Nixon declined to challenge narrow results in Illinois and Texas. In 2000 Al Gore conceded after the Supreme Court stopped the Florida recount.

Each of these episodes involved bitterness and accusations. None of them involved an armed crowd forcing its way into the Capitol while Congress counted the electoral votes. Last Wednesday's attack, encouraged by the outgoing president's false claims of a stolen election, was something new.

As a historian of Iran, I have studied revolutions and coups. They rarely begin with a single dramatic event. They grow from a steady erosion of trust in institutions, from leaders who persuade followers that ordinary rules no longer apply, and from officials who look away because confronting the problem seems too costly. The most important moments on January 6 may have been the quieter ones, when election officials, judges and legislators in the preceding weeks refused to go along with pressure to overturn results.

Congress did finish its work that night. The transfer will happen. But traditions survive only when they are defended, and defending this one will require accountability for those who organised the assault and those who encouraged it.

The republic has been stress-tested. It held. That is not the same as being safe.
""",
    },
    {
        "slug": "eleven-days-in-may",
        "title": "Eleven Days in May and the Ceasefire Nobody Trusts",
        "dek": "The latest war between Israel and Hamas has ended where the previous ones did: with grief on both sides and no political horizon.",
        "author": "miriam-haddad",
        "categories": ["middle-east", "us-foreign-policy"],
        "tags": ["Gaza", "Israel", "ceasefire"],
        "date": "2021-05-24 11:15",
        "body": """
The fighting began with tensions in Jerusalem, over planned evictions in the Sheikh Jarrah neighbourhood and police raids at al-Aqsa during Ramadan. It escalated into rockets fired from Gaza and an intense Israeli bombing campaign. After eleven days, a ceasefire brokered by Egypt took hold. More than two hundred and fifty people are dead, the great majority of them in Gaza, including many children. Families in Israeli towns spent nights in shelters.

Anyone who has followed this conflict knows the pattern. There were wars in Gaza in 2008, 2012 and 2014, each ending in a truce, each followed by promises of reconstruction that were only partly kept. The blockade that has shaped life in the territory for more than a decade remains. So does the political deadlock between the Palestinian factions, and between Palestinians and Israelis.

What felt different this time was the spread of violence inside Israel itself, in mixed cities like Lod and Acre, where Jewish and Arab citizens attacked each other's neighbourhoods. It was a reminder that the conflict is not confined behind walls and fences.

The United States, which had hoped to focus on other priorities, was drawn in. Washington pressed quietly for a ceasefire while publicly defending Israel's right to self-defence. That balancing act satisfied few people, but American pressure probably helped end the fighting sooner.

A ceasefire is necessary. It is not sufficient. Gaza needs water treatment, electricity and freedom of movement for its two million residents. Jerusalem needs a way to resolve property disputes that does not look like dispossession. Israelis need security that does not depend on periodic wars.

None of that will come from a truce alone. Without a political process, however modest, this ceasefire will be remembered as the pause before the next round.
""",
    },
    {
        "slug": "leaving-kabul",
        "title": "Leaving Kabul: The Last Flight and the Long Reckoning",
        "dek": "America's longest war ended in chaos at an airport. The failures that led there were years in the making.",
        "author": "miriam-haddad",
        "categories": ["us-foreign-policy", "politics"],
        "tags": ["Afghanistan", "Taliban", "withdrawal"],
        "date": "2021-08-30 22:40",
        "featured": True,
        "video_url": "https://vimeo.com/583920147",
        "video_caption": "Interpreters who worked with US forces describe their final days in Kabul.",
        "video_added_by": "Daniel Okafor",
        "body": """
The last American military aircraft left Kabul tonight, ending a twenty-year war. The images of the past two weeks will define how many people remember it: crowds at the airport gates, desperate Afghans clinging to a departing transport plane, a suicide bombing that killed American service members and many Afghan civilians.

The collapse of the Afghan government was astonishingly fast. Provincial capitals fell in days, often without a fight. The army that the United States spent billions of dollars building dissolved. The president fled. Intelligence estimates that predicted the government might hold for months proved badly wrong.

It will be tempting to blame the manner of the withdrawal alone, and there are legitimate questions about planning, about the timing of the evacuation of Afghans who worked with Americans, and about why so many visa applications were still unprocessed. But the deeper failures go back years. The war's goals shifted from counter-terrorism to nation-building and back. Successive administrations told the public that progress was being made while privately doubting it. Corruption in the Afghan state was tolerated because its leaders were allies.

The people who will pay the highest price are Afghans, particularly women and girls who came of age in a country where they could attend school and work. The Taliban say they have changed. Their record, and their early actions, give little reason for confidence.

The United States owes a debt to the interpreters, drivers and soldiers who stood with it. Many remain in hiding. Getting them out, and resettling them properly, is a moral obligation that does not end with the last flight.

A serious reckoning is also owed, of the kind that looks honestly at twenty years rather than the last twenty days. Without it, the same mistakes will be repeated somewhere else.
""",
    },
    {
        "slug": "glasgows-promises-measured-in-coal",
        "title": "Glasgow's Promises, Measured in Coal",
        "dek": "The climate summit ended with a last-minute change of one word. It says a lot about how far the world still has to go.",
        "author": "daniel-okafor",
        "categories": ["environment", "energy"],
        "tags": ["climate", "coal", "COP26"],
        "date": "2021-11-13 19:05",
        "body": """
The climate conference in Glasgow was supposed to close on Friday. It ran into Saturday evening, as these meetings usually do, and ended with a scene that captured the gap between ambition and reality. At the last moment, the language on coal was changed from "phase out" to "phase down", at the insistence of India with support from China. The summit's president apologised to the hall, close to tears.

It is easy to be cynical. But for the first time a UN climate agreement explicitly named coal and fossil fuel subsidies as problems to be tackled. That sounds modest, and it is, but these documents are negotiated by consensus among nearly two hundred countries, including major producers. Naming the problem took decades.

Countries also agreed to return next year with stronger national targets, rather than waiting five years. There were side deals on methane, on deforestation and on ending international finance for unabated coal. If they are honoured, together they narrow the gap between current policies and the goal of limiting warming to one and a half degrees. If.

The fight over coal also exposed an uncomfortable truth about fairness. India's per capita emissions are a fraction of those of the United States or Europe. Hundreds of millions of Indians still lack reliable electricity. Rich countries promised a decade ago to mobilise one hundred billion dollars a year in climate finance for developing nations by 2020 and failed to meet that target. Asking poorer countries to abandon their cheapest energy source without real help is not a serious position.

The next steps are practical ones: financing grids and storage in developing countries, retiring old coal plants early with compensation, and building the transmission lines that renewable power needs. Promises measured in words are easy. The measure that matters is in tonnes of coal not burned.
""",
    },
]

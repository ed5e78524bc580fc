"""Demo articles, 2024–2026. Original text written for this project; events are real, words are ours."""

ARTICLES = [
    {
        "slug": "the-red-sea-detour",
        "title": "Shipping Lanes and the Red Sea Detour",
        "dek": "Attacks on merchant ships have pushed global trade around the Cape of Good Hope. Consumers will feel it; Egypt already does.",
        "author": "daniel-okafor",
        "categories": ["economy", "middle-east", "us-foreign-policy"],
        "tags": ["shipping", "Red Sea", "Suez Canal", "Yemen"],
        "date": "2024-01-22 09:25",
        "source_name": "Meridian Wire",
        "source_url": "https://meridianwire.example/trade/red-sea-detour",
        "body": """
Roughly an eighth of world trade has traditionally passed through the narrow strait of Bab el-Mandeb at the southern end of the Red Sea, on its way to or from the Suez Canal. Since November, attacks on merchant vessels by Yemen's Houthi movement have made that passage too dangerous for many shipping companies. Major container lines have rerouted their vessels around the southern tip of Africa.

The detour adds roughly ten days and thousands of nautical miles to a journey between Asia and Europe. It burns more fuel, ties up more ships and raises insurance premiums. Container freight rates on some routes have more than doubled. Manufacturers that depend on just-in-time supply chains have warned of delays, and a few European car plants have paused production waiting for parts.

For consumers in Europe and North America, the effect so far is modest but real, a small addition to prices that are already elevated. For Egypt it is severe. Suez Canal fees are one of the country's most important sources of foreign currency, and traffic through the canal has fallen sharply. Egypt was already struggling with debt and inflation. This is the last thing its economy needed.

American and British forces have carried out strikes against Houthi targets in Yemen, and a naval coalition is escorting some ships. Military action may degrade the group's capabilities, but the Houthis have survived years of bombing by Saudi Arabia and its allies. Their leaders link the attacks to the war in Gaza and say they will stop when it stops.

Shipping is the circulatory system of the global economy, and this episode is another reminder of how few arteries it depends on. The Strait of Hormuz, the Strait of Malacca and the Panama Canal, currently restricted by drought, are all potential choke points.

Diversifying routes, building inventories and investing in regional production all cost money. So does a world in which a single conflict can reroute global trade.
""",
    },
    {
        "slug": "campus-encampments-and-the-memory-of-1968",
        "title": "Campus Encampments and the Memory of 1968",
        "dek": "Students are camping on college lawns to protest the war in Gaza. The comparisons to 1968 are tempting, and partly misleading.",
        "author": "leila-farahani",
        "categories": ["us-politics", "history"],
        "tags": ["universities", "protest", "free speech"],
        "date": "2024-04-29 15:35",
        "body": """
Tents have appeared on the lawns of Columbia, UCLA, the University of Texas and dozens of other campuses. Students are demanding that their universities disclose and divest from companies connected to Israel's military campaign in Gaza. Some administrations have called in police; others have negotiated. Commentators of every persuasion have reached for the same comparison: 1968.

The parallel has some substance. That spring, students occupied buildings at Columbia to protest the university's ties to military research and its plans to build a gymnasium in a Harlem park. Police cleared them violently, and the campus erupted. The protests spread nationally and became part of a broader revolt against the Vietnam War. Then, as now, a foreign war was at the centre, and universities were accused of complicity.

But history rarely repeats so neatly. In 1968 hundreds of thousands of young American men faced conscription, which made the war personal in a way that Gaza is not for most students today. The movement of the 1960s also had a broad base off campus, in churches, unions and civil rights organisations. Today's encampments are smaller, and public opinion about them is divided along lines of age and party.

There are also serious concerns that the 1960s did not face in the same form. Jewish students on several campuses report harassment and intimidation, and some protest slogans have crossed into hostility toward Jews as such. Universities have an obligation to protect all their students, and that obligation does not disappear because a cause is urgent.

The task for administrators is to distinguish protest from disruption, and speech from threats, and to apply the same rules regardless of the cause. Many have failed that test, whether by tolerating harassment or by summoning riot police at the first sign of a tent.

The lesson of 1968 that most deserves remembering is how quickly overreaction can turn a campus dispute into a national crisis.
""",
    },
    {
        "slug": "the-grid-cant-wait-for-permits",
        "title": "The Grid Can't Wait for Permits",
        "dek": "America is building solar farms and batteries faster than ever. The transmission lines to connect them are stuck in a queue that can last years.",
        "author": "daniel-okafor",
        "categories": ["energy", "us-politics", "environment"],
        "tags": ["power grid", "permitting", "renewables", "transmission"],
        "date": "2024-07-10 11:05",
        "body": """
There is a waiting list for the American power grid, and it is very long. Projects that want to connect to the transmission system must join an interconnection queue and undergo studies to determine what upgrades are needed. The total capacity in those queues, most of it solar, wind and battery storage, now exceeds the entire existing generating fleet of the United States. The typical wait has stretched to several years.

This is a strange bottleneck for a country that has just passed its largest climate law. The Inflation Reduction Act offers generous tax credits for clean energy, and investment has flowed into factories and projects. But a solar farm that cannot deliver its power is a field of glass. Developers abandon many projects in the queue, not because they are uneconomic but because the wait and the upgrade costs become prohibitive.

The deeper problem is transmission. High-voltage lines that carry power from windy plains and sunny deserts to cities take a decade or more to build, mainly because of permitting and disputes over who pays. A line crossing several states must win approval from each of them, and from landowners along the route. Any of them can delay it.

Some reforms are under way. Federal regulators have issued rules to speed up interconnection studies and require regional transmission planning. Congress has discussed permitting reform for years, with proposals that would help both pipelines and power lines, a combination designed to attract votes from both parties. So far the discussions have not produced a law.

Here in Texas, the state's isolated grid has one advantage: a single regulator can approve lines without interstate negotiations. The state built thousands of miles of transmission to its western wind farms over a decade ago, and the investment paid for itself.

Climate goals are often discussed as a matter of technology. Increasingly they are a matter of paperwork.
""",
    },
    {
        "slug": "an-electorate-that-voted-on-prices",
        "title": "An Electorate That Voted on Prices",
        "dek": "Inflation has cooled, but prices remain far higher than four years ago. Voters noticed, and so did incumbents around the world.",
        "author": "miriam-haddad",
        "categories": ["us-politics", "economy"],
        "tags": ["elections", "inflation", "Congress"],
        "date": "2024-11-07 08:40",
        "body": """
Elections are rarely decided by a single issue, and the analysis of this week's results will go on for months. But one theme runs through the exit polls, the focus groups and the campaign advertising: prices. Voters who said the economy was their top concern broke heavily for the challenger, and many of them described their own finances as worse than four years ago.

By the standard measures, the American economy has been performing well. Unemployment is low, growth has been solid and inflation has come down from its peak in 2022. Economists have pointed out that wages have, on average, caught up with prices. None of that persuaded people who remember what a week of groceries or a month of rent cost before the pandemic.

There is a difference between the rate of inflation and the level of prices. When inflation falls from nine per cent to three, prices are still rising, just more slowly. They do not return to where they were. Telling voters that inflation is under control while their rent has risen by a third sounds like a message from people who do not pay rent.

The pattern is not only American. In elections across the democratic world this year, incumbent parties of left and right have lost ground. Britain, India, South Africa, France and Japan all saw governing parties punished or weakened. The post-pandemic price shock appears to have been a global anti-incumbent wave.

The new administration will inherit an economy in reasonable shape and an electorate that expects relief. Some of its proposed policies, including broad tariffs and large-scale deportations, could push prices up rather than down. Those tensions will shape the next two years.

For the defeated party, the lesson is old and humbling. Statistics about the economy are not the same as people's experience of it. Politicians who forget that usually find out on election night.
""",
    },
    {
        "slug": "damascus-opens-its-files",
        "title": "Damascus Opens Its Files",
        "dek": "Weeks after the fall of the Assad government, Syrians are searching prisons and archives for the missing. What they find will shape the country's future.",
        "author": "miriam-haddad",
        "categories": ["middle-east", "politics", "us-foreign-policy"],
        "tags": ["Syria", "transitional justice", "Damascus"],
        "date": "2025-01-30 10:00",
        "featured": True,
        "video_url": "https://www.youtube.com/watch?v=Hc2vRz8yNqU",
        "video_caption": "Families search the records of a Damascus prison for the names of missing relatives.",
        "video_added_by": "Miriam Haddad",
        "body": """
For more than half a century, the Assad family ruled Syria through fear, and fear was organised on paper. The security agencies kept files on millions of citizens: informants' reports, interrogation records, lists of people detained and never released. Since the government collapsed in December, Syrians have been walking into those buildings and picking up the paper.

The scenes from the prisons have been harrowing. Families arrived at Saydnaya and other detention centres searching for relatives who disappeared years ago, some during the uprising of 2011, some earlier. A few found loved ones alive. Most found only documents, or nothing. Human rights groups estimate that well over a hundred thousand people are still missing.

The files are both evidence and danger. They could support prosecutions of those responsible for torture and killing, and help families learn the fate of the disappeared. They also contain the names of informants, many of them ordinary people coerced into reporting on neighbours. In the wrong hands, or released carelessly, they could fuel revenge and tear communities apart.

Other countries have faced the same dilemma. Germany opened the Stasi archives to individuals who wished to read their own files, under careful rules. Iraq after 2003 saw documents looted and misused. South Africa chose a truth commission that traded amnesty for testimony. Each approach had costs, and none was perfect.

Syria's new authorities, led by a group with a jihadist past that now promises pluralism, have said the right things about accountability and protecting minorities. Their actions will be watched closely by Syrians and by foreign governments deciding whether to lift sanctions.

Preserving the archives should be an immediate priority, with international technical help if needed. Justice for the disappeared cannot be built on rumours. It requires records, and the records are sitting in abandoned offices right now.
""",
    },
    {
        "slug": "tariff-season-again",
        "title": "Tariff Season, Again",
        "dek": "Sweeping new tariffs have rattled markets and allies. The lesson of the first round was that importers pay, and the second round is no different.",
        "author": "daniel-okafor",
        "categories": ["economy", "us-politics", "us-foreign-policy"],
        "tags": ["trade", "tariffs", "markets"],
        "date": "2025-04-09 14:30",
        "body": """
Seven years ago I wrote in these pages that tariffs are a tax, whatever you call them. The new round announced this month is far broader than the last, applying to imports from almost every trading partner, and markets have reacted with the kind of turmoil usually reserved for financial crises. The principle has not changed. The scale has.

The administration argues that decades of trade deficits have hollowed out American manufacturing and that only a shock will force other countries to lower their barriers and companies to build factories at home. There is something to the diagnosis. Communities in the industrial Midwest did suffer from the surge of Chinese imports in the 2000s, and Washington did too little to help them.

The prescription is another matter. Factories take years to build and depend on imported components. A car assembled in Michigan contains parts from Mexico, Canada, Japan and Germany. Taxing those parts raises the cost of American-made goods along with foreign ones. Companies uncertain about what the tariff rates will be next month tend to postpone investment rather than accelerate it.

Allies are also recalculating. Countries that have long aligned with the United States on security are being treated as economic adversaries. Some are exploring deals with each other that exclude Washington. Trust, once spent, is slow to rebuild.

Markets may calm if the administration negotiates exemptions and pauses, and it has already signalled flexibility. But the uncertainty itself is a cost. Businesses cannot plan around policy announced by social media post and revised within days.

There is a better path to rebuilding industry: targeted investment in strategic sectors, training workers, coordinating with allies against genuinely unfair practices and keeping the rules predictable. It is slower and less dramatic. It also has the advantage of working.
""",
    },
    {
        "slug": "river-cities-and-the-long-drought",
        "title": "River Cities and the Long Drought",
        "dek": "The Euphrates is lower than anyone now living remembers. Its towns are adapting, slowly.",
        "author": "daniel-okafor",
        "categories": ["environment", "middle-east"],
        "tags": ["water", "climate", "Euphrates"],
        "date": "2025-06-14 09:30",
        "featured": True,
        "body": """
Farmers along the middle Euphrates measure the summer by how far they must walk to reach the water. This year the walk is longer than it was last year, and last year it was longer than the year before.

Engineers upstream blame a run of dry winters and a thicket of dams built without a shared plan. Officials downstream blame the engineers. Both are partly right, and neither explanation waters a single field.

The river rises in the mountains of eastern Turkey and crosses Syria before reaching Iraq, where it joins the Tigris and flows into the Gulf. For thousands of years it sustained some of the world's oldest cities. Today three governments draw on it, and they have never agreed on how to share it. Each dam built upstream reduces the flow downstream, and a warming climate reduces the snowpack that feeds the whole system.

In Iraq, the consequences are visible from the air. Marshes in the south that were restored after 2003 are drying again. Fishermen in villages that depended on them are moving to the cities. Salt is creeping into farmland as river levels fall and seawater pushes up from the Gulf. Water buffalo, once a symbol of the marshes, are being sold off because there is not enough clean water to keep them.

Adaptation is happening, slowly. Some farmers have switched to drip irrigation and crops that need less water. Municipal authorities are repairing leaking pipes that waste a large share of supply. International agencies are helping map groundwater reserves. These are sensible measures, but they cannot substitute for an agreement among the riparian states.

Such agreements are possible. The Indus Waters Treaty between India and Pakistan has survived wars. Water diplomacy rarely makes headlines until it fails. The Euphrates is telling us that failure is close.
""",
    },
    {
        "slug": "solar-on-the-rooftops-of-amman",
        "title": "Solar on the Rooftops of Amman",
        "dek": "Jordan imports almost all its energy. Its households and businesses are quietly turning into power producers.",
        "author": "daniel-okafor",
        "categories": ["energy", "middle-east", "environment"],
        "tags": ["Jordan", "solar", "renewables"],
        "date": "2025-10-02 08:20",
        "body": """
From the hills of Amman, the rooftops of the city are a patchwork of water tanks, satellite dishes and, increasingly, solar panels. Jordan has almost no oil or gas of its own and for years spent a large share of its budget importing fuel. Over the past decade it has become one of the region's most interesting laboratories for renewable energy.

The shift began with necessity. When gas supplies from Egypt were repeatedly interrupted after 2011, Jordan had to burn expensive diesel and heavy fuel oil to keep its power plants running. The government responded by opening the market to private renewable projects and allowing households and businesses to install panels and sell surplus power back to the grid.

The results have been striking. Large solar farms in the desert south of the capital now supply a substantial share of the country's electricity. Mosques, schools, hospitals and factories have installed their own systems. For a small business, a rooftop array can pay for itself in a few years, and it provides protection against rising tariffs.

Success has brought new problems. The grid was designed for power flowing in one direction, from big plants to consumers. Managing thousands of small producers whose output rises and falls with the sun requires investment in storage and smarter controls. The national utility, locked into long-term contracts to buy power from gas plants, has struggled financially as customers produce their own electricity. The government has at times slowed new rooftop connections to protect it.

These are the growing pains of a transition, not arguments against it. Neighbouring countries with similar sunshine and similar dependence on imports are watching. Lebanon, whose state utility collapsed, has seen a chaotic boom in private solar out of desperation.

Jordan's experience suggests that a planned transition is better than an improvised one, and that sunshine, for a country without oil, is a strategic resource.
""",
    },
    {
        "slug": "what-nuclear-talks-can-and-cannot-do",
        "title": "What Nuclear Talks Can and Cannot Do",
        "dek": "Washington and Tehran are talking again through intermediaries. Expectations should be modest, and so should the demands.",
        "author": "leila-farahani",
        "categories": ["us-foreign-policy", "middle-east"],
        "tags": ["Iran", "nuclear deal", "diplomacy"],
        "date": "2026-01-19 09:15",
        "body": """
Nearly eight years after the United States left the nuclear agreement with Iran, diplomats are once again exchanging proposals through Omani mediators. Each side insists the other must move first. Each has domestic critics who regard any agreement as surrender. This is, in other words, a normal negotiation between adversaries.

The situation is more dangerous than it was in 2015. Iran has enriched uranium to levels far closer to weapons grade than anything it held under the old agreement, and international inspectors have had limited access to key sites. Military strikes last year damaged some facilities but did not eliminate the knowledge that Iranian scientists possess. Knowledge cannot be bombed.

What can talks achieve? Realistically, a framework that caps enrichment, ships out or dilutes the most highly enriched material and restores intrusive inspections, in exchange for limited and verifiable sanctions relief. That would not resolve the wider disputes between the two countries, over missiles, regional militias or human rights. It would make the most dangerous scenario, a sudden Iranian dash toward a weapon, less likely and easier to detect.

Those who want a comprehensive deal that addresses every grievance at once should remember why the original agreement was narrow. It was the only thing both sides could accept. Loading additional demands onto a nuclear negotiation is a reliable way to ensure it fails.

Iran's leadership faces its own pressures. The economy is weak, the currency has lost much of its value, and the protests of recent years showed the depth of public frustration. Some in Tehran see an agreement as a way to relieve that pressure. Others see the bomb as the only true guarantee of the regime's survival.

Diplomacy cannot make Iran a friend. It can keep a hostile relationship from becoming a nuclear one. That is a goal worth pursuing on its own terms.
""",
    },
    {
        "slug": "medieval-scholars-who-argued-about-water-rights",
        "title": "The Medieval Scholars Who Argued About Water Rights",
        "dek": "Islamic jurists wrote detailed rules for sharing rivers, wells and canals. Their debates have more to say about today's water crises than you might think.",
        "author": "leila-farahani",
        "categories": ["history", "religion", "environment"],
        "tags": ["Islamic law", "water", "history of science"],
        "date": "2026-03-27 10:45",
        "body": """
In arid lands, water law is not a technical footnote. It is the foundation of social order. The jurists of medieval Islam understood this well, and they produced a sophisticated body of rules on how water should be shared, who had priority and what obligations came with access. Their writings are a neglected resource in an age of drought.

A principle repeated across the schools of law held that people share in three things: water, pasture and fire. This did not mean that nobody could own a well or a canal. It meant that there were limits on exclusion. A thirsty traveller could not be denied drinking water. Animals had a right to drink. Surplus water beyond the owner's needs should not be withheld from others who needed it.

Jurists distinguished between great rivers, which belonged to the community and could not be privately owned, and smaller channels and wells, which could be. For shared canals, they developed rules about the order of irrigation, often giving priority to upstream fields but requiring that water be released downstream once the upper lands had been watered to a certain depth, sometimes measured to the ankle.

Practical systems grew around these principles. The qanats of Iran and the falaj of Oman were underground channels managed by communities with elaborate schedules of water shares, recorded and enforced by local officials. Some still operate today.

None of this offers a ready-made solution to disputes among modern states over dams on the Tigris or the Nile. Medieval jurists dealt with villages, not national governments with hydroelectric ambitions. But their central idea is worth recovering: that water is a trust with obligations attached, not simply a commodity to be captured.

Modern international water law speaks of equitable and reasonable use and the duty not to cause significant harm. The medieval jurists would have recognised those ideas. They might also have asked why, after so many centuries, we still struggle to apply them.
""",
    },
    {
        "slug": "a-midterm-year-and-prices-still-on-the-ballot",
        "title": "A Midterm Year, and Prices Still on the Ballot",
        "dek": "The parties are preparing for November's elections. Both are talking about affordability, and neither has a convincing plan for housing.",
        "author": "miriam-haddad",
        "categories": ["us-politics", "economy"],
        "tags": ["elections", "housing", "affordability"],
        "date": "2026-06-08 08:00",
        "body": """
Midterm elections usually punish the party in the White House, and strategists on both sides expect this year to follow the pattern. What is striking is how similar the two parties' messages have become. Both are talking about affordability. Both promise to bring down the cost of groceries, insurance and, above all, housing.

Housing is where the conversation becomes serious, because it is where the problem is most stubborn. Across much of the country, the cost of buying a home relative to income is at or near record levels. Mortgage rates remain well above what homeowners locked in during the pandemic, which discourages those homeowners from selling and freezes the market. Young families are renting longer and delaying children.

The root cause is not mysterious. The United States has built too few homes for more than a decade, especially in the metropolitan areas where jobs are growing. Zoning rules in many cities and suburbs prohibit anything but detached single-family houses on large lots. Permitting is slow. Neighbours can block projects through lengthy hearings.

Most of those rules are set by local governments, which makes housing an awkward issue for national campaigns. A candidate for Congress cannot rezone a suburb. What federal policy can do is tie infrastructure and transport funding to local reforms, support construction of modest apartments and starter homes, and avoid measures like broad tariffs on lumber that raise building costs.

Some states have begun to act. Legislatures in places as different as Montana, California and Oregon have passed laws allowing more homes on existing residential land. Early evidence suggests they help, though slowly.

Voters are right to be angry about the cost of living. They should be wary of candidates who offer quick fixes like subsidies for buyers, which tend to push prices higher. The honest answer is the unglamorous one: build more homes, in more places, for more years.
""",
    },
    {
        "slug": "desalinations-hidden-bill",
        "title": "Desalination's Hidden Bill",
        "dek": "The Gulf drinks from the sea. Making that water takes enormous energy and leaves behind a salty residue the region has barely begun to count.",
        "author": "daniel-okafor",
        "categories": ["environment", "energy", "middle-east"],
        "tags": ["water", "desalination", "Gulf"],
        "date": "2026-09-15 12:10",
        "video_url": "https://vimeo.com/912847365",
        "video_caption": "Inside a reverse-osmosis desalination plant on the Gulf coast.",
        "video_added_by": "Daniel Okafor",
        "body": """
In Kuwait, Qatar and the United Arab Emirates, almost all drinking water comes from the sea. The Gulf hosts a large share of the world's desalination capacity, a ring of plants that turn salt water into the supply for cities that would otherwise be impossible in such a dry climate. It is one of the great engineering achievements of the past half century, and it carries costs that are rarely discussed.

The first is energy. Older plants use heat from burning oil or gas to boil seawater and condense the vapour. Newer plants use reverse osmosis, forcing water through membranes at high pressure, which requires far less energy but still a great deal. In summer, when demand peaks, desalination adds significantly to the strain on power systems and to the region's carbon emissions.

The second is brine. For every litre of fresh water produced, desalination plants discharge a concentrated salty residue, often laced with chemicals used to clean equipment. The Gulf is a shallow, semi-enclosed sea with high evaporation and limited exchange with the open ocean. Marine scientists worry that continuous discharge is raising salinity near outfalls and harming seagrass, corals and fisheries.

The third cost is strategic. A region dependent on a few large coastal plants is vulnerable to oil spills, algal blooms and attacks. A serious incident at a major facility could leave a city without water within days.

Solutions exist. Pairing reverse osmosis with solar power is becoming cheaper, and several new plants are being designed that way. Brine can be diluted better, or processed to extract useful minerals. Reducing leaks and waste in distribution networks, and pricing water to reflect its real cost, would reduce the amount that needs to be produced.

Desalination will remain essential to life in the Gulf. The question is whether the region can make it sustainable before the sea it depends on pays the price.
""",
    },
    {
        "slug": "the-library-of-alexandria-was-not-burned-in-a-day",
        "title": "The Library of Alexandria Was Not Burned in a Day",
        "dek": "The most famous library of the ancient world did not vanish in a single fire. Its slow decline is a more useful warning.",
        "author": "leila-farahani",
        "categories": ["history", "religion"],
        "tags": ["Egypt", "libraries", "antiquity"],
        "date": "2026-11-20 09:00",
        "featured": True,
        "body": """
Almost everyone knows that the Library of Alexandria was destroyed, and almost everyone has a villain in mind. Some blame Julius Caesar, whose fire in the harbour in 48 BCE may have burned warehouses of books. Others blame Christian mobs in the late fourth century, or the Arab conquerors of the seventh. Each story has been used to make a point about whichever group it accuses.

Historians today mostly agree that no single catastrophe ended the library. Its decline was gradual and unspectacular. The Ptolemaic kings who founded it in the third century BCE were lavish patrons of scholarship, buying and copying manuscripts from across the Mediterranean. Under Roman rule, funding and prestige waned. Scholars were expelled during political purges. Civil wars damaged the city. By the time of the later disasters, there may not have been much of a great library left to destroy.

The story of the Arab general ordering the books burned because they either agreed with the Quran and were superfluous or disagreed and were heretical first appears centuries after the supposed event. Most scholars consider it a legend. It is worth noting that Arabic-speaking scholars in Baghdad, Cordoba and Cairo later preserved and translated many Greek works that might otherwise have been lost.

Why does this matter? Because the myth of a single dramatic destruction encourages the belief that knowledge is lost only through barbarism. The more common threat is neglect: budgets cut year by year, collections left uncatalogued, institutions allowed to decay because nobody thought them urgent.

Modern libraries and archives face exactly this risk, along with a new one. Digital records depend on formats and servers that require constant maintenance. A website that is not paid for disappears without a flame.

Alexandria's lesson is not to fear the arsonist. It is to keep paying the librarians.
""",
    },
    # Not visible to readers: a contributor's draft, a piece in review and one scheduled for later.
    {
        "slug": "notes-toward-a-carbon-border-tax",
        "title": "Notes Toward a Carbon Border Tax",
        "dek": "Europe is about to charge importers for the carbon in steel and cement. America will have to decide how to answer.",
        "author": "daniel-okafor",
        "categories": ["energy", "economy"],
        "tags": ["carbon pricing", "trade"],
        "date": "2026-11-22 10:00",
        "status": "draft",
        "body": """
Draft. The European Union's carbon border adjustment begins charging importers for the emissions embedded in steel, aluminium, cement and fertiliser. Exporters in Turkey, India and the Gulf are already adjusting their books.

Points to develop: what American producers pay compared with European ones; whether a US version could be built on existing pollution rules; what it means for Gulf aluminium smelters running on gas.
""",
    },
    {
        "slug": "the-mapmakers-of-ottoman-baghdad",
        "title": "The Mapmakers of Ottoman Baghdad",
        "dek": "Nineteenth-century surveys of Baghdad reveal a city of gardens, canals and quarters that no longer exist.",
        "author": "leila-farahani",
        "categories": ["history", "middle-east"],
        "tags": ["Iraq", "Ottoman Empire", "cartography"],
        "date": "2026-11-23 09:00",
        "status": "review",
        "body": """
When British and Ottoman surveyors mapped Baghdad in the middle of the nineteenth century, they recorded a walled city on both banks of the Tigris, ringed by date gardens and laced with irrigation channels. Their maps, now scattered across archives in Istanbul and London, show mosques, markets and bathhouses whose names survive only in old guidebooks.

Reading them side by side is an exercise in urban archaeology. This piece, now with the editor, follows three of those maps street by street.
""",
    },
    {
        "slug": "the-year-ahead-in-energy",
        "title": "The Year Ahead in Energy",
        "dek": "Five questions that will shape oil, gas and power markets in 2027.",
        "author": "daniel-okafor",
        "categories": ["energy", "economy"],
        "tags": ["oil", "renewables", "forecast"],
        "date": "2027-01-04 08:00",
        "status": "scheduled",
        "body": """
Every January brings forecasts, and most of them are wrong in interesting ways. Instead of predicting prices, this column asks five questions whose answers will shape the year: how fast Chinese oil demand is plateauing, whether OPEC Plus can hold its cuts, how much new battery storage reaches the grid, what happens to the American interconnection queue, and whether Europe's gas storage strategy survives a cold winter.
""",
    },
]

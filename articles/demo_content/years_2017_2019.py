"""Demo articles, 2017–2019. Original text written for this project; events are real, words are ours."""

ARTICLES = [
    {
        "slug": "what-the-mosul-offensive-leaves-behind",
        "title": "What the Mosul Offensive Leaves Behind",
        "dek": "The battle for Iraq's second city is ending. The harder contest, over who rebuilds it and for whom, is only beginning.",
        "author": "miriam-haddad",
        "categories": ["middle-east", "us-foreign-policy"],
        "tags": ["Iraq", "Mosul", "reconstruction"],
        "date": "2017-03-12 08:15",
        "body": """
Every war in Iraq since 2003 has been described, at some point, as nearly over. The campaign to retake Mosul may deserve the phrase more than most. The eastern half of the city is back under government control, and the fighting in the old quarters west of the Tigris is grinding toward its end street by street.

What comes after matters more than the final communiqué. Mosul was a mercantile city, proud of its mixed neighbourhoods, its Assyrian churches and its old mosques. Much of that fabric is now rubble. Families who fled to the camps around Erbil and Khazir are asking a simple question: if they return, will there be water, power and a school, or only checkpoints?

Baghdad's record is not encouraging. Cities recaptured earlier, such as Ramadi, waited months for basic services while contracts were argued over. Reconstruction money promised at donor conferences arrives slowly and often passes through too many hands. Each delay hands a talking point to those who say the state never cared for the Sunni north in the first place.

There is also the question of who holds the streets. Federal police, the army, Kurdish forces and a patchwork of militias all fought for Mosul. Each will expect a say in its future. If the city becomes a chessboard divided among armed patrons, the grievances that let the extremists in will simply wait for their next sponsor.

Washington has a role here that does not require another troop surge. It can insist that aid reach municipal councils, fund the unglamorous work of clearing unexploded ordnance, and back local police recruited from the neighbourhoods they will patrol. These are boring measures. They are also the only ones that have ever worked.

The liberation of a city is an event. Its recovery is a process, and processes rarely make the evening news. Mosul deserves the attention anyway.
""",
    },
    {
        "slug": "the-gulf-blockade-and-the-price-of-pride",
        "title": "The Gulf Blockade and the Price of Pride",
        "dek": "Saudi Arabia and its allies cut Qatar off by land, sea and air. Two weeks in, the costs are falling on everyone except the people who chose the fight.",
        "author": "miriam-haddad",
        "categories": ["middle-east", "economy"],
        "tags": ["Qatar", "Saudi Arabia", "Gulf Cooperation Council"],
        "date": "2017-06-20 10:40",
        "source_name": "The Gulf Ledger",
        "source_url": "https://gulfledger.example/2017/06/blockade-price-of-pride",
        "body": """
When Saudi Arabia, the United Arab Emirates, Bahrain and Egypt severed ties with Qatar at the start of June, they expected a quick capitulation. The peninsula imports most of its food, and much of it used to cross the single land border with Saudi Arabia. Surely a few days of empty supermarket shelves would bring Doha to heel.

It has not worked out that way. Turkish and Iranian cargo planes began landing within days. Dairy cows were flown in to start a domestic milk industry from scratch. Qatar's gas continues to flow to Asian buyers under long-term contracts that nobody in Riyadh can cancel. The emirate is poorer and more anxious than it was a month ago, but it is not on its knees.

The list of demands circulated by the blockading states reads less like a negotiating position than an instruction to surrender sovereignty: close a television network, expel a Turkish base, scale back relations with Iran and accept monthly compliance audits. No government could accept it and survive, which suggests that acceptance was never really the point.

The real losers are the people whose lives cross these borders. Families with a Qatari father and a Bahraini mother have been told to choose a side. Students have been ordered home mid-semester. Camels grazing across the Saudi frontier were herded back by decree, a detail that would be comic if it did not capture the pettiness of the whole affair.

The Gulf Cooperation Council was built on the idea that six small and medium monarchies are stronger together than apart. That idea has now been publicly shredded by its own members, with the United States sending mixed signals from the White House and the Pentagon on the same afternoon.

Pride is an expensive policy. Somebody will eventually have to find a way for everyone to climb down without admitting they were wrong. The sooner the better.
""",
    },
    {
        "slug": "paris-without-washington",
        "title": "Paris Without Washington: The Climate Accord After the Exit",
        "dek": "The United States says it is leaving the climate agreement. States, cities and companies are saying something else.",
        "author": "daniel-okafor",
        "categories": ["environment", "us-politics", "energy"],
        "tags": ["climate", "Paris Agreement", "renewables"],
        "date": "2017-09-02 14:05",
        "body": """
When the White House announced in June that the United States would withdraw from the Paris climate agreement, the reaction abroad was a mixture of dismay and resolve. Three months later the resolve is the more interesting part of the story, and a good deal of it is coming from inside the United States.

Governors representing a large share of the American economy have formed an alliance pledging to meet the country's original emissions target on their own. Mayors from Pittsburgh to Phoenix have signed similar promises. Utilities that had already planned to retire coal plants are quietly keeping to their schedules, because the economics of cheap gas, wind and solar did not change on the day of the announcement.

None of this makes the federal withdrawal harmless. Washington controls vehicle standards, federal lands and the diplomatic weight that persuades reluctant countries to raise their ambitions. A negotiator from a coal-dependent developing nation can now point across the table and ask why his country should do more when the richest emitter in history is walking away.

The formal exit also cannot take effect until late 2020, because of how the agreement was written. That timing is a reminder that treaties outlast administrations, and that the next election will decide whether the departure becomes a footnote or a turning point.

In Texas, where I live, the politics of climate are awkward but the economics are not. West Texas wind farms supply a growing share of the state's power, and landowners collect lease payments regardless of how they vote. The energy transition here is being driven by spreadsheets more than speeches.

Climate policy has always depended on the belief that others will act too. The task for those still in the agreement is to keep that belief alive long enough for Washington to change its mind. The evidence so far suggests they can.
""",
    },
    {
        "slug": "raqqas-ruins-and-the-question-of-who-rebuilds",
        "title": "Raqqa's Ruins and the Question of Who Rebuilds",
        "dek": "The self-declared capital of the Islamic State has fallen. Its residents are returning to a city that barely stands.",
        "author": "miriam-haddad",
        "categories": ["middle-east", "us-foreign-policy"],
        "tags": ["Syria", "Raqqa", "ISIS"],
        "date": "2017-10-28 09:00",
        "featured": True,
        "video_url": "https://www.youtube.com/watch?v=kP4nR7tVq2s",
        "video_caption": "Drone footage of central Raqqa after the fighting ended.",
        "video_added_by": "Miriam Haddad",
        "body": """
For three years Raqqa was the place the world imagined when it thought of the Islamic State: the black flags on the clock tower roundabout, the public punishments, the foreign recruits arriving by bus. This month the city was declared liberated by the Syrian Democratic Forces, backed by American air power. What they liberated is, in large part, a landscape of broken concrete.

The victory was real and it matters. A movement that claimed to be a state no longer holds a capital. Its recruiters have lost their most powerful story, the claim that history was on their side. For the people of Raqqa who endured its rule, that is not an abstraction.

But the cost of the final months was enormous. Residents describe neighbourhoods flattened block by block, wells contaminated, bridges down and the fields around the city laced with mines. Aid agencies estimate that much of the housing stock is damaged or destroyed. Those who fled are returning to find their homes unrecognisable, or not returning at all.

Rebuilding will require money, engineers and, above all, a political settlement about who governs. The forces that took the city are led by Kurdish commanders, while Raqqa's population is overwhelmingly Arab. Damascus regards the whole area as its own. Turkey regards the Kurdish forces as terrorists. Each of these facts alone would complicate reconstruction. Together they could paralyse it.

The United States has said it will not pay for large-scale rebuilding in Syria. That position is understandable as a matter of budgets and legitimate as a refusal to underwrite the government in Damascus. It is also risky. Cities left in ruins do not stay empty; they fill with resentment, smugglers and the next generation of recruiters.

Winning the battle was the part that air power could do. The part that follows cannot be done from the sky.
""",
    },
    {
        "slug": "irans-protests-were-about-bread-first",
        "title": "Iran's Protests Were About Bread First",
        "dek": "The demonstrations that spread through Iran's provincial towns began with egg prices, not slogans. That is what made them alarming to Tehran.",
        "author": "leila-farahani",
        "categories": ["middle-east", "economy", "politics"],
        "tags": ["Iran", "protests", "inflation"],
        "date": "2018-01-15 11:30",
        "body": """
Outside observers tend to read every Iranian protest as a referendum on the Islamic Republic itself. The demonstrations that began in Mashhad at the end of December and spread to dozens of towns deserve a more careful reading. They started with prices.

The cost of eggs had jumped sharply after an outbreak of avian flu. Fuel price rises were rumoured in the new budget. Savings had vanished in the collapse of unlicensed credit institutions that had promised depositors high returns. The first chants were about these things, and the people chanting were not the university students of north Tehran but working families in places like Dorud, Izeh and Tuyserkan.

That geography is what unsettled the authorities. The revolution of 1979 drew on the pious poor of the provinces, and the Islamic Republic has long presented itself as their champion. When the crowds in small towns turned their anger from prices to the political class as a whole, they were challenging the regime's founding story rather than merely its policies.

Historians of Iran will recognise a familiar pattern. The tobacco protest of 1891 began with a concession to a British company and became a confrontation with the Qajar shah. Economic grievances in Iran have a way of acquiring political meaning quickly, because the state controls so much of the economy that every price is a decision someone made.

The protests have subsided, after arrests and a number of deaths. The underlying conditions have not. Unemployment among the young remains high, the currency is weak and the promised dividend from the nuclear agreement has reached few ordinary households.

Washington should resist the temptation to claim these protests as its own. Nothing would please Iran's hardliners more than evidence that foreign hands were at work. The grievances are Iranian, and so must be any answer to them.
""",
    },
    {
        "slug": "walking-away-from-the-iran-deal",
        "title": "Walking Away From the Iran Deal",
        "dek": "The United States has left an agreement that Iran was keeping. The question now is what replaces it, and the honest answer is nothing yet.",
        "author": "miriam-haddad",
        "categories": ["us-foreign-policy", "middle-east"],
        "tags": ["Iran", "nuclear deal", "sanctions"],
        "date": "2018-05-09 07:45",
        "featured": True,
        "body": """
The Joint Comprehensive Plan of Action was never meant to make Iran a friend. It was meant to keep Iran from building a nuclear weapon while everyone argued about everything else. By the accounts of international inspectors, it was doing exactly that. Yesterday the United States announced it would withdraw and reimpose sanctions.

The case for leaving rests on what the agreement did not do. It did not restrain Iran's missile programme or its support for allied militias in Syria, Iraq, Lebanon and Yemen. Some of its limits were set to expire in the following decade. These are fair criticisms of a limited bargain. They are not arguments that the bargain was failing at its stated purpose.

Europe, Russia and China say they will stay in. Their companies may not. Any bank or manufacturer with meaningful American business must now choose between trading with Iran and trading with the United States, and that is not a difficult choice. The agreement may survive on paper while its economic promise to Iran evaporates.

Inside Iran, the decision strengthens the people who argued from the start that Washington could not be trusted. President Rouhani staked his reputation on engagement. His critics in the Revolutionary Guards now have the best possible evidence that engagement was naive. Whatever the intention in Washington, the effect in Tehran is to shift power toward the hardliners.

The administration says it wants a better deal. It has not explained how pressure will produce one when the last agreement took two years of patient multilateral diplomacy and the partners that made it possible have been publicly rebuffed.

The risk is not an immediate Iranian bomb. It is a slow return to the cycle of enrichment, sabotage and threats that preceded the agreement, with fewer inspectors on the ground to tell us what is happening. That is a poor trade for the satisfaction of tearing up a predecessor's signature.
""",
    },
    {
        "slug": "tariffs-are-a-tax-whatever-you-call-them",
        "title": "Tariffs Are a Tax, Whatever You Call Them",
        "dek": "The new duties on steel, aluminium and Chinese goods are being sold as toughness. Farmers and factories are paying the bill.",
        "author": "daniel-okafor",
        "categories": ["economy", "us-politics"],
        "tags": ["trade", "tariffs", "China"],
        "date": "2018-08-21 13:20",
        "body": """
There is a simple test for any policy described as making foreigners pay: follow the invoice. In the case of this year's tariffs, the invoice ends up on the desks of American importers, who pass as much of it as they can to American customers.

The duties on steel and aluminium were justified on grounds of national security, a rationale that irritated allies like Canada, whose mills hardly threaten the Pentagon. The larger tariffs on Chinese goods aim at a real problem, Beijing's habit of forcing technology transfers and subsidising favoured industries. The problem is real. The tool is blunt.

Manufacturers that use steel, and there are far more of them than there are steel mills, now pay more for their main input. Some have delayed hiring. Others are rerouting supply chains through third countries, which adds cost without bringing work home. Economists across the ideological spectrum have said as much for months.

The most visible casualties are farmers. China answered with tariffs on soybeans, pork and other crops, and it chose products grown in politically sensitive states. Soybean prices have fallen, and the administration has announced billions of dollars in emergency payments to growers. Taxpayers are now compensating farmers for the damage done by a policy meant to help them.

None of this means trade with China was fair before. A coordinated approach with Europe and Japan, pressing through the World Trade Organisation and using targeted measures against specific abuses, might have achieved more. Instead the United States has picked fights with its allies and its rival at the same time.

Tariffs can be useful bargaining chips if there is a clear goal and an exit. So far the goals shift with each announcement, and the exit is nowhere in sight. Meanwhile the tax is being collected, quietly, at every port of entry.
""",
    },
    {
        "slug": "the-midterms-were-a-referendum-on-health-care",
        "title": "The Midterms Were a Referendum on Health Care",
        "dek": "Pundits looked for a verdict on the president. Voters in the suburbs delivered one on their insurance.",
        "author": "miriam-haddad",
        "categories": ["us-politics"],
        "tags": ["elections", "health care", "Congress"],
        "date": "2018-11-08 09:10",
        "body": """
Midterm elections are usually read as judgements on the president, and this year's results will be parsed that way for months. The Democrats took the House of Representatives; the Republicans strengthened their hold on the Senate. But the exit polls and campaign advertising point to a more specific issue that moved voters: health care.

For most of the past decade, the Affordable Care Act was a liability for the party that passed it. Republicans won election after election promising repeal. Then, in 2017, they came within one vote of actually repealing it, and the public got a clear look at what might replace it. Protections for people with pre-existing conditions suddenly felt less like an abstraction and more like a personal stake.

Democratic candidates in suburban districts talked about little else. They spoke about insulin prices, about children with asthma, about parents with cancer. They avoided the broader ideological debate about single-payer systems and stuck to the concrete promise of keeping what people already had. It worked in places that had voted Republican for a generation.

The lesson for both parties is that voters care about policies that touch their own lives more than they care about the daily drama in Washington. That should not be surprising, yet campaigns keep relearning it.

The new House majority now faces its own test. It can investigate the administration, and it will. It can also pass bills that have no chance of becoming law but define what the party stands for. The risk is that the investigations crowd out the agenda that won the seats in the first place.

Divided government often produces gridlock. It can also produce modest, useful compromises when both sides need accomplishments to show voters. Lower drug prices would be a good place to start.
""",
    },
    {
        "slug": "forty-years-after-the-revolution",
        "title": "Forty Years After the Revolution, Iran's Clerics Face Their Grandchildren",
        "dek": "Most Iranians alive today were born after 1979. The revolution's anniversary is a reminder of how different their country is from the one its founders imagined.",
        "author": "leila-farahani",
        "categories": ["middle-east", "history", "religion"],
        "tags": ["Iran", "1979", "Shi'ism"],
        "date": "2019-02-11 08:00",
        "featured": True,
        "body": """
On the anniversary of the revolution, the Islamic Republic stages the same ceremony it has held for four decades: crowds in Azadi Square, speeches about independence and resistance, chants against the great powers. The ritual is familiar. The country around it is not.

In 1979 Iran had around 37 million people, most of them rural and many of them unable to read. Today it has more than 80 million, overwhelmingly urban and literate, with more women than men enrolled in universities. The revolutionaries who promised to lift up the dispossessed did, in certain ways, deliver. Rural electrification, clinics and schools reached villages the shah's modernisers had ignored.

Yet the grandchildren of the revolution have grown up with satellite dishes, smartphones and relatives in Los Angeles and Toronto. Their relationship to the clerical establishment is often one of polite indifference. Attendance at Friday prayers is down. Young people speak of religion as a private matter, which is precisely what the theory of clerical rule was designed to deny.

This does not mean Iranians have become secular in a Western sense. Pilgrimages to Mashhad and Karbala draw enormous crowds. The mourning rituals of Muharram remain powerful. What has eroded is not faith but trust in the idea that a senior jurist should hold ultimate political authority. Even within the seminaries of Qom there are scholars who quietly doubt it.

Historians often observe that revolutions devour their children. Iran's has done something subtler: it has raised children who do not share its premises but have no wish for another upheaval. Many remember what the war with Iraq cost their parents.

The question for the next decade is whether the system can adapt to the society it created. Its founders were skilled at mobilising crowds. Their successors will need the harder skill of listening to them.
""",
    },
    {
        "slug": "notre-dame-and-the-cathedrals-we-forget",
        "title": "Notre-Dame and the Cathedrals We Forget",
        "dek": "The world grieved as the Paris cathedral burned. Older sacred places in Mosul, Aleppo and Sanaa were lost with far less notice.",
        "author": "leila-farahani",
        "categories": ["religion", "history", "middle-east"],
        "tags": ["heritage", "Christianity", "Islam"],
        "date": "2019-04-16 18:25",
        "body": """
The images of Notre-Dame's spire collapsing into flames were heartbreaking, and the grief they produced was genuine. The cathedral is a masterpiece of medieval engineering and a place where generations of Parisians marked births, deaths and national turning points. Within a day, pledges for its restoration had reached staggering sums.

It is worth pausing on that generosity, not to criticise it but to notice what it reveals. Over the past decade, the Middle East has lost sacred buildings of comparable age and beauty, and most of them vanished without live coverage. The leaning minaret of the al-Nuri mosque in Mosul, which had stood since the twelfth century, was blown up in 2017. The Umayyad mosque in Aleppo lost its eleventh-century minaret to shelling in 2013. The old city of Sanaa, a living architectural marvel, has been damaged by air strikes.

Christian sites suffered too. Monasteries in northern Iraq that had survived Mongols and Ottomans were looted and defaced. Churches in Homs and Maaloula, where some villagers still speak a form of Aramaic, were shelled and burned. These were not museum pieces. They were places of worship for communities that have now largely scattered.

The difference in attention is partly a matter of proximity. Paris is familiar to millions of tourists; Mosul is not. It is also a matter of narrative. A fire caused by accident invites mourning. A mosque destroyed in a war invites questions about who destroyed it and why, and those questions are uncomfortable.

Heritage is not a competition, and Notre-Dame deserves to be rebuilt. But the instinct that moved so many people this week could be stretched a little further. UNESCO and local craftsmen are working to restore al-Nuri and the churches of the Nineveh plain. They could use some of that generosity.
""",
    },
    {
        "slug": "drones-over-abqaiq",
        "title": "Drones Over Abqaiq: The Oil Market Shrugs",
        "dek": "An attack knocked out half of Saudi Arabia's crude output for a few days. Prices jumped, then fell back. The calm tells us something about the new oil world.",
        "author": "daniel-okafor",
        "categories": ["energy", "middle-east", "economy"],
        "tags": ["oil", "Saudi Arabia", "drones"],
        "date": "2019-09-16 16:50",
        "body": """
Energy analysts have gamed out a strike on Abqaiq for decades. The processing plant in eastern Saudi Arabia handles the majority of the kingdom's crude, making it perhaps the single most important piece of oil infrastructure on the planet. On Saturday, drones and missiles hit it, along with the Khurais field, and briefly took around five per cent of global supply offline.

Oil prices leapt more than ten per cent on Monday morning, the largest one-day jump in years. By historical standards, though, the reaction was modest. In the 1970s a disruption of this scale would have produced queues at petrol stations across the industrial world. This time traders looked at full storage tanks, American shale output near record highs and Saudi assurances about quick repairs, and they calmed down.

That calm reflects a structural shift. The United States now produces more crude than at any time in its history and exports significant volumes. Strategic reserves in consuming countries are large. The world has more spare capacity and more suppliers than it did a generation ago, even if it still depends heavily on the Gulf.

The political lesson is less reassuring. The attack showed that relatively cheap drones and cruise missiles can penetrate the air defences of one of the world's largest arms buyers. Yemen's Houthi movement claimed responsibility; American and Saudi officials pointed toward Iran. Either way, the cost of causing serious disruption has fallen dramatically.

For oil-importing countries, the episode is another argument for diversifying supply and reducing demand. Every barrel not burned is a barrel that cannot be held hostage by a drone swarm.

For the region, it is a warning. The confrontation between Riyadh and Tehran has found a weapon that is cheap, deniable and effective. That is a dangerous combination in a part of the world already full of them.
""",
    },
    {
        "slug": "algerias-hirak-refuses-to-go-home",
        "title": "Algeria's Hirak Refuses to Go Home",
        "dek": "Ten months of weekly marches forced out a president. They have not yet changed the system that chose him.",
        "author": "leila-farahani",
        "categories": ["politics", "middle-east"],
        "tags": ["Algeria", "protests", "North Africa"],
        "date": "2019-12-05 12:00",
        "source_name": "Maghreb Dispatch",
        "source_url": "https://maghrebdispatch.example/analysis/hirak-refuses-to-go-home",
        "body": """
Every Friday since February, Algerians have filled the streets of Algiers, Oran, Constantine and dozens of smaller towns. They began by opposing a fifth term for Abdelaziz Bouteflika, an ailing president rarely seen in public. In April he resigned. The marches continued, because the protesters had never been only about one man.

The movement, known as the Hirak, has been remarkable for its discipline. Crowds have been enormous and overwhelmingly peaceful. Volunteers sweep the streets after demonstrations. Students march on Tuesdays. Slogans mix humour with a deep historical memory: many invoke the war of independence against France and accuse the current elite of betraying its ideals.

The army, which has been the real centre of power since independence, has tried to manage the transition on its own terms. It has arrested some prominent figures from the old regime, which pleased many Algerians, and also detained activists and journalists, which did not. Next week's presidential election has been organised over the protesters' objections, with candidates who all served the previous government.

Turnout will be watched closely as a measure of the Hirak's strength. A low turnout would deny the next president the legitimacy he needs. A moderate one would allow the army to claim that the page has turned.

Observers elsewhere in the region are paying attention. The Arab uprisings of 2011 ended, in many countries, with civil war or restored dictatorship. Algerians, who lived through a brutal internal conflict in the 1990s, have consciously avoided violence and refused to be provoked. If their patience can produce real change, it would offer a different model.

It may not. Entrenched systems are good at waiting. But the Hirak has already shown that a population many considered exhausted by politics can organise, week after week, with dignity.
""",
    },
]

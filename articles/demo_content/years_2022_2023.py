"""Demo articles, 2022–2023. Original text written for this project; events are real, words are ours."""

ARTICLES = [
    {
        "slug": "ukraine-war-reaches-the-bread-ovens-of-the-middle-east",
        "title": "The War in Ukraine Reaches the Bread Ovens of the Middle East",
        "dek": "Egypt, Lebanon and Yemen depend on wheat from the Black Sea. The invasion has turned a European war into a bread crisis far away.",
        "author": "daniel-okafor",
        "categories": ["economy", "middle-east"],
        "tags": ["wheat", "Ukraine", "food prices"],
        "date": "2022-03-08 10:20",
        "body": """
The Russian invasion of Ukraine is a European war with global consequences, and some of the most immediate are being felt in bakeries from Cairo to Beirut. Russia and Ukraine together export close to a third of the world's wheat. Much of it has traditionally gone to the Middle East and North Africa, carried from Black Sea ports through the Bosphorus.

Egypt is the world's largest wheat importer, and subsidised bread is a pillar of its social contract. The government sells a flat round loaf for a tiny fraction of its cost to tens of millions of people. When wheat prices spike, the bill for that subsidy rises with them, and the state must either borrow, cut elsewhere or raise the price of bread. Egyptian governments have historically been very reluctant to choose the last option, with good reason. The bread riots of 1977 are still remembered.

Lebanon is in a worse position. Its main grain silos were destroyed in the port explosion of 2020, leaving it with little storage capacity, and its economy had already collapsed. Yemen, devastated by war, imports almost all its food. In these countries a price shock is not an inconvenience. It is a threat to survival.

Traders are already scrambling for alternatives from India, Australia, Argentina and the United States. These exist, but at higher prices and longer shipping distances, and fertiliser costs are also soaring, which will affect next year's harvests everywhere.

The response needs to be fast and practical. International lenders can offer emergency financing to import-dependent countries. Exporters should avoid panic bans that make shortages worse. The World Food Programme, which itself buys much of its wheat from Ukraine, needs more funding to meet rising costs.

Wars have always travelled along trade routes. This one is travelling through the daily loaf, and the people least responsible for it are among the first to pay.
""",
    },
    {
        "slug": "a-fist-bump-and-the-price-of-gasoline",
        "title": "A Fist Bump and the Price of Gasoline",
        "dek": "The president went to Jeddah promising to recalibrate relations with Saudi Arabia. He came back with a photograph and no promise of more oil.",
        "author": "daniel-okafor",
        "categories": ["us-foreign-policy", "energy", "middle-east"],
        "tags": ["Saudi Arabia", "oil", "gasoline prices"],
        "date": "2022-07-16 17:45",
        "body": """
As a candidate, Joe Biden said Saudi Arabia should be treated as a pariah over the killing of the journalist Jamal Khashoggi. As president, with gasoline above five dollars a gallon and midterm elections approaching, he flew to Jeddah and greeted Crown Prince Mohammed bin Salman with a fist bump. The image travelled around the world faster than any communique.

The administration's case for the trip is not frivolous. Saudi Arabia remains the swing producer in oil markets, and high fuel prices were hurting American families and fuelling inflation. The kingdom matters to efforts to contain Iran, to end the war in Yemen and to expand ties between Israel and Arab states. Diplomacy with unsavoury governments is a permanent feature of foreign policy.

But the trip produced little that was concrete on energy. Saudi officials made clear that production decisions would be taken within OPEC Plus, the group that includes Russia, based on market conditions. There was no dramatic announcement of extra barrels. Riyadh demonstrated that it has options, and that American needs do not automatically translate into Saudi actions.

That is the uncomfortable lesson. For decades the relationship was described as oil for security: the kingdom kept the taps open and the United States protected it. Today America produces much of its own oil, and Saudi Arabia sells more to Asia than to the West. Both sides have become more transactional, and the transactions are harder to close.

The longer-term answer to the gasoline problem is not a better relationship with any single producer. It is reducing the economy's exposure to oil price swings through efficient vehicles, electrified transport and public transit. Those take years. Presidential visits take a day.

In the meantime, the photograph will outlive the price spike. That is a poor bargain for the values the administration says it holds.
""",
    },
    {
        "slug": "woman-life-freedom",
        "title": "Woman, Life, Freedom",
        "dek": "The death of a young Kurdish woman in police custody has set off Iran's most sustained protests in years. This time women are leading them.",
        "author": "leila-farahani",
        "categories": ["politics", "middle-east", "religion"],
        "tags": ["Iran", "women's rights", "protests"],
        "date": "2022-09-28 09:00",
        "featured": True,
        "body": """
Mahsa Amini was twenty-two years old, visiting Tehran with her family, when she was detained by the so-called morality police for allegedly wearing her headscarf improperly. Three days later she was dead. Officials insist she suffered a heart attack. Her family says she had no health problems. Almost nobody in Iran believes the official account.

The protests that followed have spread to dozens of cities and to every province. Schoolgirls have removed their headscarves in classrooms and photographed themselves doing it. Women have cut their hair in public, an ancient gesture of mourning in Persian poetry. The slogan that has travelled from Kurdish towns to Tehran's universities and beyond is simple: woman, life, freedom.

What distinguishes this movement from earlier ones is its leadership and its focus. The Green Movement of 2009 was about a disputed election. The protests of 2017 and 2019 were driven by economic hardship. This time the spark is the state's control over women's bodies, and young women are at the front. Men have joined in large numbers, which suggests that the compulsory hijab has become a symbol of everything people resent about the system.

The compulsory veil was imposed in the early years of the revolution, and it has been contested ever since. Many devout Iranian women wear the hijab by choice and resent being told they are oppressed. Many others have pushed their scarves back inch by inch over decades. The question was never about faith. It was about whether the state should enforce it with police vans.

The authorities have responded with arrests, internet shutdowns and lethal force. Human rights groups report many deaths. History suggests the government can suppress the street for now. It cannot undo what young Iranians have shown each other about their numbers and their courage.
""",
    },
    {
        "slug": "sharm-el-sheikh-and-the-fund-for-loss-and-damage",
        "title": "Sharm el-Sheikh and the Fund for Loss and Damage",
        "dek": "After thirty years of asking, vulnerable countries won agreement on a fund for climate damage. Now someone has to fill it.",
        "author": "daniel-okafor",
        "categories": ["environment", "economy"],
        "tags": ["climate", "COP27", "climate finance"],
        "date": "2022-11-20 12:30",
        "source_name": "Coastal Monitor",
        "source_url": "https://coastalmonitor.example/climate/loss-and-damage-fund",
        "body": """
The island nation of Vanuatu first proposed an international mechanism to compensate countries for damage from rising seas in 1991. This weekend, at the climate conference in the Egyptian resort of Sharm el-Sheikh, governments finally agreed to create a fund for loss and damage. Negotiators from small islands and poor countries embraced on the floor of the plenary hall.

The principle is straightforward. Countries that have done least to cause climate change are suffering some of its worst effects: floods in Pakistan that covered a third of the country this summer, droughts in the Horn of Africa, storms in the Caribbean that destroy a year's worth of economic output in a night. Adaptation can reduce some of this damage. It cannot prevent all of it.

Rich countries resisted the idea for decades, worried about legal liability for historical emissions. The agreement avoids the language of compensation and liability, which is why it was possible. It also leaves almost every important question unanswered. Who pays? How much? Who is eligible? Should large emitters that are still classified as developing countries, such as China, contribute?

Those questions have been handed to a committee, which will report next year. Experience with earlier climate finance promises suggests caution. The pledge to mobilise one hundred billion dollars a year was missed. Adaptation funds have been chronically underfunded.

The conference also failed to strengthen language on cutting emissions. A proposal to call for phasing down all fossil fuels, not only coal, did not survive. That matters because every tenth of a degree of additional warming increases the losses the new fund is meant to cover.

The fund is a moral victory and a diplomatic achievement. Whether it becomes a practical one depends on money, and on whether the countries that created the problem will keep paying as the bills grow.
""",
    },
    {
        "slug": "the-earthquake-and-the-border",
        "title": "The Earthquake and the Border",
        "dek": "The earthquakes that struck Turkey and Syria did not respect a frontier. The rescue effort, tragically, did.",
        "author": "miriam-haddad",
        "categories": ["middle-east", "politics"],
        "tags": ["Turkey", "Syria", "earthquake", "humanitarian aid"],
        "date": "2023-02-09 08:50",
        "body": """
In the early hours of Monday, a massive earthquake struck southern Turkey near the Syrian border, followed hours later by another nearly as strong. Entire apartment blocks in Antakya, Kahramanmaras and Gaziantep collapsed. Across the border, in towns like Jindires and Harem, buildings already weakened by years of war came down on families sleeping inside. The death toll is now in the tens of thousands and still rising.

In Turkey, rescue teams from dozens of countries arrived within a day or two. Search dogs, cranes and thermal cameras were deployed, though many survivors complained that help was slow to reach their neighbourhoods and that building codes had been ignored for years with official blessing.

In north-western Syria, the situation was far worse. The area is controlled by opposition groups, and for years almost all United Nations aid has entered through a single border crossing from Turkey, Bab al-Hawa. The road to it was damaged by the quake. For several crucial days, while people were still alive under the rubble, almost no international search and rescue equipment arrived. Local volunteers dug with their hands.

The politics of the Syrian war explain this, but they do not excuse it. Damascus insists that aid should pass through the government. Russia has used its Security Council veto to limit cross-border access. Western governments are reluctant to be seen helping the Assad government. Each position has its logic. Together they produced paralysis at the moment speed mattered most.

An earthquake is a natural disaster. How many people die in one is a political outcome, shaped by building codes, preparedness and the decisions of governments. Turkey will have its own reckoning about construction standards.

For Syria, the lesson is that humanitarian access cannot depend on the goodwill of warring parties. Opening more crossings should not require a catastrophe.
""",
    },
    {
        "slug": "a-handshake-in-beijing",
        "title": "A Handshake in Beijing: Riyadh and Tehran Talk Again",
        "dek": "Saudi Arabia and Iran agreed to restore diplomatic relations, with China as the host. Washington was not in the room.",
        "author": ["leila-farahani", "miriam-haddad"],
        "categories": ["us-foreign-policy", "middle-east"],
        "tags": ["Saudi Arabia", "Iran", "China", "diplomacy"],
        "date": "2023-03-14 13:00",
        "body": """
Last week's announcement that Saudi Arabia and Iran would restore diplomatic relations, seven years after they broke them off, came as a surprise to most observers. So did the venue. The agreement was signed in Beijing, with China's top diplomat standing between the two delegations for the photographs.

The substance should not be exaggerated. The two countries have agreed to reopen embassies and revive a security agreement from 2001. They have not resolved their rivalry for influence in Yemen, Lebanon, Iraq or Syria. Their clerical and royal establishments still regard each other with deep suspicion. Talks between them had been going on for two years in Baghdad and Muscat, which did much of the groundwork.

But the symbolism is significant. For decades, the United States was the indispensable broker in the Gulf. China has long been the largest buyer of Gulf oil but preferred to stay out of regional politics. Its willingness to host this deal signals a new ambition, and the willingness of Riyadh and Tehran to accept its mediation signals that both see value in a patron who does not lecture them about human rights.

There are reasons for Washington not to panic. China has no military presence comparable to America's in the region and has shown little appetite for guaranteeing anybody's security. Saudi Arabia still buys American weapons and depends on American protection. A reduction in Saudi-Iranian tension also serves American interests if it helps end the war in Yemen.

Still, the episode should prompt reflection. American diplomacy in the region has focused heavily on normalisation between Israel and Arab states, an important project but not the only one. Regional players are hedging, seeking multiple partners rather than a single patron.

A less polarised Gulf would be good for everyone who lives there. Who gets credit for it matters less than whether it lasts.
""",
    },
    {
        "slug": "the-heat-dome-is-the-new-normal",
        "title": "The Heat Dome Is the New Normal",
        "dek": "Texas is sweltering under weeks of extreme heat, and the power grid is holding, barely. Solar panels are doing more of the work than their critics expected.",
        "author": "daniel-okafor",
        "categories": ["environment", "energy"],
        "tags": ["heat wave", "Texas", "power grid", "solar"],
        "date": "2023-06-30 18:10",
        "body": """
For the past two weeks a dome of high pressure has parked itself over Texas and northern Mexico, pushing temperatures well above a hundred degrees Fahrenheit day after day. Heat indices in Houston have reached levels that make outdoor work dangerous. Hospitals report a rise in heat-related illness. Electricity demand has set records.

Memories of the winter storm of February 2021, when the state grid nearly collapsed and hundreds of people died, are still raw. Many Texans have watched the grid operator's daily reports with anxiety. So far the lights have stayed on, and part of the reason is a technology that politicians in the state often disparage: solar power.

Texas has added solar capacity at a remarkable pace in the past few years, mostly on ranch land in the west of the state, financed by private developers attracted by cheap land and strong sunshine. On the hottest afternoons, when air conditioners run flat out, those panels produce at their peak. Battery installations are now storing midday power to help cover the early evening, when demand remains high but the sun is sinking.

Wind generation, by contrast, often drops during heat waves because the same weather pattern that brings heat brings calm air. A diverse mix matters. So does the ability to move power across regions, which is limited in Texas because the state's grid is largely isolated from its neighbours.

The broader lesson is that extreme heat is no longer exceptional. Climate scientists have warned for years that such events would become more frequent and more intense. Infrastructure built for the climate of the twentieth century is being asked to perform in the climate of the twenty-first.

Adapting means more than power plants. It means cooling centres, shaded bus stops, rules protecting outdoor workers and buildings designed to stay cool. The heat dome will lift. The next one is already on its way.
""",
    },
    {
        "slug": "the-pilgrim-roads-of-karbala",
        "title": "The Pilgrim Roads of Karbala",
        "dek": "Millions walk to Karbala every year for Arbaeen. The pilgrimage is a feat of devotion, logistics and hospitality that outsiders rarely see.",
        "author": "leila-farahani",
        "categories": ["religion", "history", "middle-east"],
        "tags": ["Iraq", "Shi'ism", "pilgrimage", "Arbaeen"],
        "date": "2023-09-05 07:00",
        "video_url": "https://www.youtube.com/watch?v=Qm7tLwB4zVc",
        "video_caption": "Pilgrims on the road from Najaf to Karbala, filmed at dawn.",
        "video_added_by": "Leila Farahani",
        "body": """
Forty days after Ashura, the day commemorating the death of the Prophet's grandson Hussein at Karbala in 680, Shia Muslims observe Arbaeen. In recent years it has become one of the largest annual gatherings on earth. Pilgrims walk for days along the roads from Najaf, Basra and the Iranian border, some covering hundreds of kilometres on foot.

What strikes first-time visitors is not only the scale but the hospitality. Along the main route from Najaf, thousands of tents called mawakib offer free food, tea, water, medical care and places to sleep. Families save money all year to host pilgrims. Volunteers massage tired feet and wash clothes. Nobody asks for payment, and refusing an offer of food can cause offence.

The history of the pilgrimage is itself a story of politics. Under the Ottoman and British authorities, the shrine cities of Najaf and Karbala were centres of learning and trade as well as devotion. Under Saddam Hussein, public observance of Arbaeen was restricted and at times banned, because the regime feared any mass gathering it did not control. Its revival after 2003 was an assertion of identity by Iraq's Shia majority.

Today the pilgrimage is also transnational. Iranians cross the border in enormous numbers, along with pilgrims from Pakistan, Afghanistan, the Gulf, Lebanon and diaspora communities in Europe and North America. Governments compete to provide services, and political messages are never entirely absent.

Yet for most participants Arbaeen is about something older than modern politics. The story of Hussein, who chose death over submission to an unjust ruler, is told as a lesson in moral courage. Pilgrims speak of walking as a form of witness.

In a region more often covered for its violence, a peaceful gathering of millions sustained by voluntary generosity deserves notice. It reveals a social fabric that survives despite everything done to tear it.
""",
    },
]

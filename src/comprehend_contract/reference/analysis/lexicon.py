"""The small built-in word lists behind the rule-based analyses: names, places, organizations, dates, units, stopwords.

They are deliberately short (the common cases of English and Spanish news and reviews, a little French, German,
Italian and Portuguese): a reference must be predictable, not complete. Every entry is the word as written; lookups of
single words go through ``str.lower`` of that word alone, never of the whole document (see ``text``).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(phrase.strip() for phrase in text.split("|") if phrase.strip())


ABBREVIATIONS = _words(
    "mr mrs ms dr prof sr sra srta jr st mt ft inc corp ltd co no vs etc e.g i.e u.s u.k dept gen gov sen rep approx "
    "jan feb mar apr jun jul aug sep sept oct nov dec av avda ud uds dña"
)
"""Words whose period does not end a sentence (lower case, without the period)."""

HONORIFICS = _words(
    "Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Prof Prof. Sir Dame Sr Sr. Sra Sra. Srta Srta. Don Doña Herr Frau"
)
"""Words that make the capitalised words after them a person's name."""

FIRST_NAMES = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark "
    "Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary "
    "Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Frank Gregory Raymond Alexander Patrick "
    "Jack Dennis Jerry Tyler Aaron Jose Adam Henry Nathan Douglas Zachary Peter Kyle Walter Ethan Jeremy Harold Carl "
    "Keith Roger Gerald Christian Terry Sean Arthur Austin Noah Lawrence Jesse Joe Bryan Billy Jordan Albert Dylan "
    "Bruce Willie Gabriel Alan Juan Logan Wayne Ralph Roy Eugene Randy Vincent Russell Louis Philip Bobby Johnny "
    "Bradley Jeff Bill Tom Bob Jim Mike Dave Steve Andy Tim Ben Sam Max Leo Luke Liam Oliver Elijah Lucas Mason Jeff "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra Ashley "
    "Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia "
    "Kathleen "
    "Amy Shirley Angela Helen Anna Brenda Pamela Nicole Emma Samantha Katherine Christine Debra Rachel Catherine "
    "Carolyn "
    "Janet Ruth Maria Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith "
    "Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice Madison "
    "Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana Brittany Natalie "
    "Isabella Charlotte Rose Alexis Kayla Jane Mia Ava Chloe Zoe Lily Ella Jeff Carlos Luis Miguel Javier Antonio "
    "Manuel Francisco Pedro Jorge Alejandro Fernando Pablo Sergio Diego Rafael Andrés Ricardo Eduardo Roberto Mario "
    "Alberto Raúl Enrique Ramón Álvaro Rubén Iván Óscar Hugo Santiago Mateo Martín Nicolás Gonzalo Ignacio Jaime "
    "Paulo Joaquín Emilio Guillermo Felipe Lucía Carmen Ana Isabel Laura Marta Elena Pilar Cristina Paula Sofía Rosa "
    "Dolores Teresa Beatriz Raquel Silvia Patricia Mercedes Alicia Irene Julia Clara Inés Nuria Rocío Sonia Lorena "
    "Valentina Camila Daniela Gabriela Mariana Fernanda Natalia Andrea Verónica Adriana Jean Pierre Jacques Marie "
    "Sophie Camille Louise François Hans Klaus Jürgen Stefan Wolfgang Anke Ursula Giulia Giuseppe Marco Luca "
    "Francesca Alessandro João Ana Mariana Rahul Priya Amit Wei Li Hiroshi Yuki Kenji Jeff Satya Sundar Tim Elon"
)
"""Common first names (English, Spanish, a few others): a capitalised word after one of these is a surname."""

ORGANIZATIONS = _phrases(
    "Amazon Web Services|Amazon|AWS|Google|Alphabet|Microsoft|Apple|Meta|Facebook|Netflix|Tesla|IBM|Intel|Oracle|"
    "Samsung|Sony|Toyota|Nike|Walmart|Starbucks|Boeing|Airbus|Twitter|Uber|Airbnb|Spotify|Adobe|Salesforce|Nvidia|"
    "NVIDIA|AMD|Cisco|Dell|HP|Siemens|SAP|Volkswagen|BMW|Mercedes-Benz|Ford|General Motors|Honda|Nissan|Coca-Cola|"
    "PepsiCo|McDonald's|Disney|Warner Bros|Pfizer|Moderna|Johnson & Johnson|Goldman Sachs|JPMorgan|JPMorgan Chase|"
    "Morgan Stanley|Citigroup|Wells Fargo|Bank of America|Visa|Mastercard|PayPal|eBay|Alibaba|Tencent|Baidu|Huawei|"
    "Xiaomi|Santander|BBVA|Telefónica|Inditex|Zara|Repsol|Iberdrola|Real Madrid|FC Barcelona|NASA|FBI|CIA|UN|"
    "United Nations|NATO|EU|European Union|WHO|World Health Organization|UNESCO|IMF|World Bank|OpenAI|Anthropic|"
    "LinkedIn|YouTube|Instagram|WhatsApp|Reuters|BBC|CNN|The New York Times|SEC|Federal Reserve|NYSE|Nasdaq|NASDAQ|"
    "Whole Foods|"
    "Zappos|Twitch|Audible|GitHub|Slack|Zoom|Shopify|Stripe|Accenture|Deloitte|KPMG|PwC|Unilever|Nestlé|Shell|BP|"
    "ExxonMobil|Chevron|Verizon|AT&T|T-Mobile|Vodafone|Orange|Renault|Peugeot|Ferrari|Fiat|Philips|Ikea|IKEA|H&M|"
    "Lufthansa|Iberia|Delta|United Airlines|American Airlines|FedEx|UPS|DHL|Costco|Target|Best Buy|Home Depot|"
    "Berkshire Hathaway|BlackRock|Vanguard|Fidelity|Citibank|HSBC|Barclays|Deutsche Bank|UBS|Credit Suisse"
)
"""Well-known organizations, matched as written (case-sensitive, whole words)."""

ORGANIZATION_SUFFIXES = _words(
    "Inc Inc. Corp Corp. Corporation Company Co. Ltd Ltd. LLC LLP PLC plc Group Holdings Bank University College "
    "Institute Association Foundation Agency Ministry Department Council Committee Airlines Airways Motors "
    "Technologies Systems Labs Laboratories Partners Capital Ventures Industries Enterprises Solutions Services "
    "Pharmaceuticals Entertainment Studios Media Networks Software GmbH AG SA S.A. S.L. SpA Universidad Banco "
    "Ministerio Fundación Asociación Club Party Church Commission Authority Administration Office Bureau Inc.,"
)
"""Last words that make a run of capitalised words an organization (``Acme Corp``, ``Stanford University``)."""

ORGANIZATION_HEADS = _words("University Bank Ministry Department Universidad Banco Ministerio Bureau Office Board")
"""First words that, followed by ``of``/``de`` and a name, make an organization (``Bank of Spain``)."""

COUNTRIES = _phrases(
    "United States|United States of America|USA|U.S.|US|America|Canada|Mexico|Brazil|Argentina|Chile|Colombia|Peru|"
    "Venezuela|Ecuador|Bolivia|Uruguay|Paraguay|Cuba|United Kingdom|UK|England|Scotland|Wales|Ireland|France|Germany|"
    "Spain|Portugal|Italy|Netherlands|Belgium|Switzerland|Austria|Sweden|Norway|Denmark|Finland|Poland|Greece|Turkey|"
    "Russia|Ukraine|China|Japan|Korea|South Korea|North Korea|India|Pakistan|Bangladesh|Indonesia|Vietnam|Thailand|"
    "Philippines|Malaysia|Singapore|Australia|New Zealand|Egypt|Nigeria|Kenya|South Africa|Morocco|Israel|Iran|Iraq|"
    "Saudi Arabia|United Arab Emirates|Qatar|Taiwan|Hong Kong|España|Estados Unidos|México|Francia|Alemania|Italia|"
    "Reino Unido|Japón|Brasil|Perú|Rusia|Inglaterra|Suiza|Países Bajos|Bélgica|Suecia|Grecia|Turquía|Egipto|"
    "Marruecos|Canadá|Deutschland|Frankreich|Spanien|Italien|Österreich|Schweiz|Europe|Asia|Africa|North America|"
    "South America|Latin America|Antarctica|Oceania|Europa|África|Asia|América Latina|Middle East|Silicon Valley"
)
"""Countries, continents and regions."""

REGIONS = _phrases(
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|"
    "Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|"
    "Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta|Catalonia|Cataluña|Andalucía|Galicia|"
    "Bavaria|Bayern|Tuscany|Toscana|Normandy|Provence|Castilla|Valencia|Seattle|New York City|NYC|Los Angeles|"
    "San Francisco|Chicago|Boston|Houston|Dallas|Austin|Denver|Phoenix|Miami|Atlanta|Philadelphia|Portland|"
    "San Diego|San Jose|Las Vegas|Detroit|Minneapolis|Nashville|Orlando|Baltimore|Pittsburgh|Cleveland|Arlington|"
    "Redmond|Cupertino|Palo Alto|Mountain View|Menlo Park|Bellevue|Anytown|Springfield|Toronto|Vancouver|Montreal|"
    "Ottawa|London|Paris|Berlin|Madrid|Barcelona|Sevilla|Seville|Bilbao|Málaga|Zaragoza|Lisbon|Lisboa|Porto|Rome|Roma|"
    "Milan|Milano|Naples|Venice|Florence|Amsterdam|Brussels|Vienna|Zurich|Geneva|Munich|München|Hamburg|Frankfurt|"
    "Cologne|Stockholm|Oslo|Copenhagen|Helsinki|Dublin|Edinburgh|Manchester|Liverpool|Prague|Warsaw|Budapest|Athens|"
    "Istanbul|Moscow|Kyiv|Kiev|Tokyo|Osaka|Kyoto|Beijing|Shanghai|Shenzhen|Seoul|Mumbai|Delhi|New Delhi|Bangalore|"
    "Bengaluru|Hyderabad|Chennai|Singapore|Bangkok|Jakarta|Manila|Sydney|Melbourne|Auckland|Cairo|Lagos|Nairobi|"
    "Johannesburg|Cape Town|Dubai|Tel Aviv|Jerusalem|Mexico City|Ciudad de México|Guadalajara|Monterrey|Bogotá|"
    "Medellín|Lima|Santiago|Buenos Aires|São Paulo|Rio de Janeiro|Caracas|Quito|Montevideo|La Habana|Havana|"
    "AK|AZ|AR|CA|CO|CT|DE|FL|GA|IA|KS|KY|LA|MA|MD|MI|MN|MO|MS|MT|NC|ND|NE|NH|NJ|NM|NV|NY|PA|RI|SC|SD|TN|TX|UT|VA|VT|"
    "WA|WI|WV|WY|DC"
)
"""States (and the US postal codes that are not also English words), provinces and cities."""

LOCATION_SUFFIXES = _words(
    "River Ocean Sea Island Islands Valley County Province Mountains Bay Beach Coast Desert Canyon Peninsula Gulf "
    "Street St. Avenue Ave. Road Rd. Boulevard Blvd. Lane Square Park Plaza Heights Hills Falls Strait"
)
"""Last words that make a run of capitalised words a place (``Columbia River``, ``Main Street``)."""

LOCATION_HEADS = _words("Lake Mount Mt. Cape Isle Río Lago Monte Calle Avenida Plaza Paseo Rue")
"""First words that make a run of capitalised words a place (``Lake Union``, ``Calle Mayor``)."""

FACILITY_SUFFIXES = _words(
    "Airport Bridge Tower Building Stadium Arena Center Centre Hospital Station Plant Factory Headquarters HQ Mall "
    "Museum Hotel Terminal Port Harbor Harbour Campus Warehouse Aeropuerto Estadio Hospital Museo"
)
"""Last words that make a run of capitalised words a building or structure (``Sea-Tac Airport``)."""

EVENT_NAMES = _phrases(
    "Prime Day|Super Bowl|World Cup|Olympics|Olympic Games|Oscars|Black Friday|Cyber Monday|Christmas|Thanksgiving|"
    "Halloween|Easter|New Year|Ramadan|Navidad|Semana Santa|Nochevieja|re:Invent|CES|Wimbledon|Tour de France|"
    "Mundial|Eurovision|Brexit|World War II|World War I|Cold War"
)
"""Well-known events."""

EVENT_SUFFIXES = _words(
    "Festival Olympics Games Cup Championship Championships Conference Summit Expo Fair Awards Marathon Tournament "
    "War Election Elections Week Convention Concert Gala Forum Congress Symposium Festival Feria Fiesta Copa"
)
"""Last words that make a run of capitalised words an event (``Glastonbury Festival``)."""

COMMERCIAL_ITEMS = _phrases(
    "iPhone|iPad|iPod|MacBook Pro|MacBook Air|MacBook|iMac|AirPods|Apple Watch|Kindle Paperwhite|Kindle|Echo Dot|"
    "Echo|Fire TV|Fire TV Stick|Alexa|Xbox|PlayStation|Nintendo Switch|Galaxy|Pixel|Surface|Windows|Model S|Model 3|"
    "Model X|Model Y|Prius|Corolla|Mustang|Big Mac|Whopper|Coke|Walkman|ThinkPad|Chromebook|GoPro|Roomba|Nespresso"
)
"""Well-known products; a model name or number may follow (``iPhone 12 Pro``)."""

MONTHS = _words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "Januar Februar März Juni Juli Oktober Dezember "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro"
)
"""Month names (as written, first letter either case for the non-English ones: see ``month_words``)."""

WEEKDAYS = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday lunes martes miércoles jueves viernes sábado domingo "
    "lundi mardi mercredi jeudi vendredi samedi dimanche Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag"
)
"""Day names."""

RELATIVE_DATES = _phrases(
    "today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening|last night|last week|last month|"
    "last year|next week|next month|next year|this week|this month|this year|hoy|ayer|mañana|anoche|"
    "la semana pasada|el mes pasado|el año pasado|la próxima semana|el próximo año|este año|aujourd'hui|hier|demain|"
    "heute|gestern|morgen|oggi|ieri|domani|hoje|ontem|amanhã"
)
"""Dates named relative to now."""

NUMBER_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred "
    "thousand million billion dozen dozens hundreds thousands millions billions uno una dos tres cuatro cinco seis "
    "siete ocho nueve diez veinte cien mil millón millones"
)
"""Numbers written as words (a quantity when a unit follows)."""

UNITS = _phrases(
    "percent|per cent|%|dollars|dollar|euros|euro|pounds|pound|yen|yuan|pesos|peso|cents|USD|EUR|GBP|JPY|kg|"
    "kilograms|kilos|grams|g|lb|lbs|km|kilometers|kilometres|miles|mi|meters|metres|m|feet|ft|inches|cm|mm|liters|"
    "litres|gallons|hours|hour|minutes|minute|seconds|days|day|weeks|week|months|month|years|year|employees|people|"
    "persons|shares|units|items|copies|customers|users|GB|MB|TB|KB|bytes|times|por ciento|dólares|libras|kilómetros|"
    "metros|horas|minutos|días|semanas|meses|años|personas|empleados|acciones|clientes|usuarios|veces"
)
"""Units a number may carry (``5 kg``, ``20 percent``, ``three years``)."""

CURRENCY_WORDS = _words(
    "dollars dollar euros euro pounds pound yen yuan pesos peso USD EUR GBP JPY dólares libras cents"
)
"""Units that make a quantity a monetary value."""

CURRENCY_SYMBOLS = "$€£¥₹"

SCALE_WORDS = _words("thousand million billion trillion mil millón millones billones k m bn")

PERSON_TITLES = _phrases(
    "chief executive officer|chief financial officer|chief operating officer|chief technology officer|"
    "chief information officer|senior vice president|executive vice president|vice president|managing director|"
    "executive director|general manager|prime minister|co-founder|founder|chairman|chairwoman|chair|president|"
    "director|CEO|CFO|COO|CTO|CIO|SVP|EVP|VP|manager|head|partner|analyst|engineer|senator|governor|mayor|minister|"
    "secretary|treasurer|professor|consejero delegado|director general|presidente|presidenta|directora|gerente|"
    "Mr.|Mrs.|Ms.|Dr.|Prof."
)
"""Job titles and honorifics (events' PERSON_TITLE, targeted sentiment's PERSONAL_TITLE)."""

ATTRIBUTES = _words(
    "price prices pricing quality service speed size taste flavor flavour design battery performance value delivery "
    "shipping support atmosphere ambiance ambience portion portions temperature noise comfort screen sound camera "
    "cost costs fees selection menu experience packaging durability precio calidad servicio sabor diseño batería "
    "entrega atención"
)
"""Nouns that name a trait of something (targeted sentiment's ATTRIBUTE: the ``price`` of a phone)."""

DETERMINERS = _words(
    "the a an this that these those my your his her its our their some any each every no another such both "
    "el la los las un una unos unas este esta estos estas ese esa esos esas mi mis tu tus su sus nuestro nuestra "
    "nuestros nuestras le les des du ce cette ces mon ma mes son sa ses der die das den dem des ein eine einen "
    "il lo gli le uno o os as um uma"
)
"""Words that open a noun phrase."""

_ENGLISH_STOPWORDS = (
    "a an the and or but nor so yet if then else when while as at by for from in into of off on onto out over to "
    "up upon with within without about above after again against all am any are aren't be because been before being "
    "below between both can can't cannot could couldn't did didn't do does doesn't doing don't down during each few "
    "further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself "
    "his how how's i i'd i'll i'm i've is isn't it it's its itself let's me more most mustn't my myself no not "
    "once only other ought our ours ourselves own same shan't she she'd she'll she's should shouldn't some such than "
    "that that's their theirs them themselves there there's these they they'd they'll they're they've this those "
    "through too under until very was wasn't we we'd we'll we're we've were weren't what what's when's where where's "
    "which who who's whom why why's would wouldn't you you'd you'll you're you've your yours yourself yourselves "
    "will shall may might must also just still already even ever never always often really quite well now since "
    "works work worked working said says say get gets got make makes made go goes went gone take takes took see saw "
    "seen know knew think thought come came want wanted use used find found give gave tell told become became seem "
    "seemed feel felt leave left put keep kept let begin began show showed hear heard live lives lived believe bring "
    "brought happen happened write wrote provide provides sit stand lose lost pay paid meet met include includes "
    "including continue continues set learn change lead led understand watch follow stop create speak read allow "
    "add spend grow open walk win offer offers remember love loved loves like liked likes hate hated consider appear "
    "buy bought wait serve send expect build stay fall reach remain suggest raise pass sell sold require report "
    "reported decide announce announced announces acquire acquired acquires joined joins join hired hire plans "
    "planned plan enjoy enjoyed visit visited visiting looks look looked need needs needed try tried gets going "
    "there's yes ok okay oh however although though therefore thus hence per via vs etc"
)
_SPANISH_STOPWORDS = (
    "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas "
    "ellos en entre era erais eran eras eres es esa esas ese eso esos esta estaba estaban estado estáis estamos "
    "están estar estas este esto estos estoy fue fueron fui fuimos ha había habían han has hasta hay la las le les "
    "lo los más me mi mis mucho muchos muy nada ni no nos nosotros o os otra otro para pero poco por porque que "
    "quien se sea ser si sido sin sobre sois somos son soy su sus también tanto te tenemos tener tengo ti tiene "
    "tienen todo todos tu tus un una uno unos unas vosotros y ya yo trabaja trabajan vive viven dijo dice hace "
    "hizo tiene tenía puede pueden va van fue será sería está están estaba muy bien mal aquí allí así sí"
)
_FRENCH_STOPWORDS = (
    "au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me même mes moi mon ne nos "
    "notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l "
    "m n s t y été être est sont était avait a ont fait très plus aussi comme"
)
_GERMAN_STOPWORDS = (
    "aber als am an auch auf aus bei bin bis bist da damit dann der den des dem die das dass du er es ein eine "
    "einem einen einer eines für hat hatte hier ich ihr im in ist ja kann mein mit nach nicht noch nun nur ob oder "
    "ohne sehr sein sich sie sind so über um und uns unter vom von vor war waren was wie wir wird wo zu zum zur"
)
_ITALIAN_STOPWORDS = (
    "a ad al alla alle anche che chi ci come con da dal dalla de del della delle di e è ed gli ha hanno i il in io "
    "la le lei li lo loro lui ma mi mio nel nella noi non o per più poi quella quello questa questo se si sono su "
    "sua suo tra tu un una uno vi voi era molto"
)
_PORTUGUESE_STOPWORDS = (
    "a ao aos as com como da das de do dos e é ela ele eles em entre era essa esse esta este eu foi há isso já "
    "mais mas me meu minha muito na nas não no nos o os ou para pela pelo por que se sem ser seu sua são também "
    "te tem um uma você estava está foram"
)
STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(_ENGLISH_STOPWORDS),
    "es": _words(_SPANISH_STOPWORDS),
    "fr": _words(_FRENCH_STOPWORDS),
    "de": _words(_GERMAN_STOPWORDS),
    "it": _words(_ITALIAN_STOPWORDS),
    "pt": _words(_PORTUGUESE_STOPWORDS),
}
"""Function words and common verbs (lower case) that end a key phrase, per language."""

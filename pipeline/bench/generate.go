package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

// genPlace is a city the generator reports from, with its country.
type genPlace struct{ city, country, region string }

// All vocabulary below is written for the generator; the places are real
// so the gazetteer resolves them, the people and militant groups invented.
var (
	genPlaces = []genPlace{
		{"Kabul", "Afghanistan", "Asia"}, {"Kandahar", "Afghanistan", "Asia"}, {"Peshawar", "Pakistan", "Asia"},
		{"Quetta", "Pakistan", "Asia"}, {"Baghdad", "Iraq", "Asia"}, {"Mosul", "Iraq", "Asia"},
		{"Damascus", "Syria", "Asia"}, {"Aleppo", "Syria", "Asia"}, {"Mogadishu", "Somalia", "Africa"},
		{"Maiduguri", "Nigeria", "Africa"}, {"Lagos", "Nigeria", "Africa"}, {"Bamako", "Mali", "Africa"},
		{"Niamey", "Niger", "Africa"}, {"Nairobi", "Kenya", "Africa"}, {"Paris", "France", "Europe"},
		{"Marseille", "France", "Europe"}, {"Berlin", "Germany", "Europe"}, {"Cologne", "Germany", "Europe"},
		{"Brussels", "Belgium", "Europe"}, {"London", "United Kingdom", "Europe"}, {"Manchester", "United Kingdom", "Europe"},
		{"Vienna", "Austria", "Europe"}, {"Istanbul", "Turkey", "Europe"}, {"Moscow", "Russia", "Europe"},
		{"Madrid", "Spain", "Europe"}, {"Stockholm", "Sweden", "Europe"}, {"Jakarta", "Indonesia", "Asia"},
		{"Manila", "Philippines", "Asia"}, {"Karachi", "Pakistan", "Asia"}, {"Tripoli", "Libya", "Africa"},
	}
	genGroups = [][2]string{
		{"Northern Liberation Front", "NLF"}, {"Crescent Brigade", "CB"}, {"Eastern Jihad Council", "EJC"},
		{"Movement of the Faithful", "MOF"}, {"Red Dawn Cells", "RDC"}, {"Sahel Martyrs Battalion", "SMB"},
		{"Islamic State Khorasan Province", "ISKP"}, {"People's Revolutionary Army", "PRA"},
		{"Coastal Resistance Committee", "CRC"}, {"Free Highlands Army", "FHA"},
	}
	genAgencies = []string{"the United Nations", "the Interior Ministry", "the Red Cross", "the European Union",
		"the African Union", "Human Rights Watch", "the Defence Ministry", "Amnesty International", "the World Health Organization"}
	genFirst = []string{"Ahmad", "Maria", "Jonas", "Fatima", "Pierre", "Aisha", "Oleg", "Sarah", "Hamid", "Lena",
		"Yusuf", "Claire", "Omar", "Ingrid", "Tariq", "Nadia", "Karim", "Julia", "Bashir", "Elena", "Samuel", "Leila",
		"Viktor", "Amara", "Thomas", "Zainab", "Mikhail", "Grace", "Rashid", "Anna"}
	genLast = []string{"Karimi", "Schneider", "Dubois", "Rahman", "Novak", "Haddad", "Lindqvist", "Mensah", "Petrov",
		"Okafor", "Moreau", "Yilmaz", "Hassan", "Weber", "Costa", "Nazari", "Brennan", "Sokolova", "Diallo", "Fischer",
		"Abubakar", "Santos", "Kowalski", "Osei", "Barzani", "Lefebvre", "Ivanova", "Mahmoud", "Jensen", "Achebe"}
	genRoles = []string{"a police spokesman", "the interior minister", "the provincial governor", "a hospital director",
		"a witness", "the chief prosecutor", "a security analyst", "the mayor", "an army spokeswoman", "a shopkeeper",
		"a local councillor", "a senior commander"}
	genSources = []string{"example.org", "news.example.com", "wire.example.net", "daily.example.co.uk",
		"post.example.com", "herald.example.org", "tribune.example.net", "courier.example.com"}
	genDays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)

// genIncidents tell an incident; %[1]s is the city, %[2]s the day.
var genIncidents = []string{
	"A car bomb exploded outside a crowded market in %[1]s on %[2]s",
	"A suicide bomber blew himself up at a police checkpoint in %[1]s on %[2]s",
	"Gunmen opened fire on worshippers leaving a mosque in %[1]s on %[2]s",
	"A man attacked passers-by with a knife near the main station in %[1]s on %[2]s",
	"Armed men stormed a hotel in %[1]s on %[2]s and took dozens of guests hostage",
	"Militants kidnapped four aid workers on the road outside %[1]s on %[2]s",
	"An air strike hit a weapons depot on the edge of %[1]s on %[2]s",
	"Militants attacked an army base near %[1]s on %[2]s",
	"A roadside bomb struck a military convoy near %[1]s on %[2]s",
}

// genArrests tell an arrest or a foiled plot.
var genArrests = []string{
	"Police in %[1]s arrested %[3]s suspects on %[2]s who were accused of planning an attack on a concert",
	"Investigators said on %[2]s they had foiled a plot to bomb a festival in %[1]s",
	"Security forces raided a flat in %[1]s on %[2]s and detained %[3]s men suspected of links to militants",
}

// genTolls follow an incident; %d are the dead and the injured.
var genTolls = []string{
	", killing at least %d people and wounding %d others",
	", killing %d people and injuring %d, officials said",
	". At least %d people were killed and more than %d were wounded",
	". The death toll rose to %d on the following day, with %d people still in hospital",
}

// genQuotes are said by people; each is followed by an attribution.
var genQuotes = []string{
	"We heard a loud explosion and then everybody started running",
	"The situation is under control, but we ask residents to stay at home",
	"This was a cowardly attack on innocent civilians and those responsible will be brought to justice",
	"Our teams worked through the night to treat the wounded",
	"We had received warnings about a possible attack in the city for weeks",
	"The investigation is at an early stage and we will not speculate about the motive",
	"Many families are still looking for their relatives",
}

// genBackground is the bulk of an article, with {city}, {country},
// {group}, {agency} and {person} to fill in.
var genBackground = []string{
	"Emergency services arrived within minutes and ambulances took the wounded to hospitals across {city}.",
	"Authorities closed the roads around the area while forensic teams collected evidence at the scene.",
	"Hospitals in {city} appealed for blood donors as doctors treated dozens of people for burns and shrapnel wounds.",
	"The government of {country} condemned the violence and promised a full investigation into the security failures.",
	"No group immediately claimed responsibility, but suspicion fell on the {group}, which has carried out similar attacks in the past.",
	"The {group} has been active in the region for several years and has recruited fighters from neighbouring countries.",
	"A statement from {agency} called for calm and urged all sides to protect civilians.",
	"A curfew was imposed for the night and schools will remain closed until the end of the week, the local authorities said.",
	"Diplomats from several countries expressed their condolences and offered assistance to the government in {country}.",
	"Analysts warned that attacks of this kind have become more frequent over the past year as militants exploit weak border controls.",
	"Residents said they had heard gunfire for nearly an hour before the police regained control of the district.",
	"{person} told reporters that the attackers had arrived in two vehicles and fled before the security forces reached the area.",
	"The region has seen repeated clashes between the army and armed groups since a ceasefire collapsed in the spring.",
	"Prices of bread and fuel have risen sharply in {city}, and aid agencies struggle to reach displaced families in camps outside the city.",
	"Officials from {agency} said they were sending a team to assess the needs of the families affected.",
	"Security was tightened at airports, railway stations and government buildings across {country}.",
	"Opposition politicians in {country} accused the government of ignoring repeated warnings from the intelligence services.",
	"Footage shared on social media showed thick black smoke rising above the rooftops as sirens sounded across {city}.",
	"The attack came days before an international conference on regional security that was due to open in {city}.",
	"Investigators were examining surveillance camera footage and questioning witnesses, {person} said.",
	"The interior ministry said additional police units had been deployed to {city} and the surrounding towns.",
	"Families gathered outside the main hospital in {city} waiting for news of relatives who were near the scene.",
	"The {group}, also known by its initials, is listed as a terrorist organisation by several governments.",
	"Local traders said business had barely recovered from a previous attack in the same district last year.",
	"{agency} has documented a rise in violence against civilians in {country} over the past eighteen months.",
}

// Generate returns n raw articles invented by a deterministic generator (the
// same n and seed give the same articles): 500 to 1,100 words of wire-style
// text, 800 on average, each with named people quoted with their roles,
// groups (invented militant groups and real agencies), real cities and
// countries, one to three incidents with days and, for most, casualty
// figures. Fetched is left zero: the load run sets it at publication.
func Generate(n int, seed uint64) []*article.Article {
	out := make([]*article.Article, 0, n)
	for i := range n {
		out = append(out, GenerateOne(i, seed))
	}
	return out
}

// GenerateOne returns the i-th article Generate(n, seed) returns for any
// n > i, so a load run can generate articles as it publishes them.
func GenerateOne(i int, seed uint64) *article.Article {
	r := rand.New(rand.NewPCG(seed, uint64(i)*0x9e3779b97f4a7c15+1))
	source := genSources[r.IntN(len(genSources))]
	url := fmt.Sprintf("https://%s/news/%d/%06d", source, seed, i)
	pub := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
	place := genPlaces[r.IntN(len(genPlaces))]
	other := genPlaces[r.IntN(len(genPlaces))]
	group := genGroups[r.IntN(len(genGroups))]
	agency := genAgencies[r.IntN(len(genAgencies))]
	var people []string
	for range 2 + r.IntN(4) {
		people = append(people, genFirst[r.IntN(len(genFirst))]+" "+genLast[r.IntN(len(genLast))])
	}
	day := genDays[pub.Weekday()]
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }

	var b strings.Builder
	var title string
	words := 0
	add := func(s string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		words += strings.Count(s, " ") + 1
	}
	// Lead: the incident, its toll and who claimed it.
	for k := range 1 + r.IntN(3) {
		p := place
		if k > 0 {
			p = genPlaces[r.IntN(len(genPlaces))]
		}
		var s string
		if r.IntN(4) == 0 {
			s = fmt.Sprintf(pick(genArrests), p.city, day, []string{"two", "three", "five", "seven"}[r.IntN(4)]) + "."
		} else {
			s = fmt.Sprintf(pick(genIncidents), p.city, day)
			if r.IntN(5) != 0 {
				s += fmt.Sprintf(pick(genTolls), 2+r.IntN(60), 5+r.IntN(120))
			}
			s += "."
			if r.IntN(2) == 0 {
				s += fmt.Sprintf(" The %s (%s) claimed responsibility in a statement.", group[0], group[1])
			}
		}
		if k == 0 {
			title = strings.SplitN(strings.SplitN(s, ",", 2)[0], ".", 2)[0]
			s = strings.ToUpper(p.city) + ", " + pub.Format("January 2") + " - " + s
		}
		add(s)
	}
	// Body: quotes and background until the target length.
	target := 500 + r.IntN(601)
	for k := 0; words < target; k++ {
		person := people[k%len(people)]
		switch r.IntN(4) {
		case 0:
			last := person[strings.LastIndexByte(person, ' ')+1:]
			if k < len(people) {
				add(fmt.Sprintf("%q, said %s, %s in %s.", pick(genQuotes), person, pick(genRoles), place.city))
			} else {
				add(fmt.Sprintf("%q, %s said.", pick(genQuotes), last))
			}
		default:
			g := group[0]
			if r.IntN(3) == 0 {
				g = genGroups[r.IntN(len(genGroups))][0]
			}
			c := place
			if r.IntN(4) == 0 {
				c = other
			}
			add(strings.NewReplacer("{city}", c.city, "{country}", c.country, "{group}", g,
				"{agency}", agency, "{person}", person).Replace(pick(genBackground)))
		}
	}
	text := b.String()
	a := &article.Article{
		SchemaVersion: article.SchemaVersion,
		ID:            article.IDFor(url),
		URL:           url,
		CanonicalURL:  url,
		Source:        source,
		Title:         title,
		Byline:        "By " + pick(genFirst) + " " + pick(genLast),
		Published:     &pub,
		Language:      "en",
		Text:          text,
		// Article pages weigh about 100 KB of HTML (issue 9).
		HTMLSize:    90_000 + r.IntN(20_000),
		ContentHash: article.HashText(text),
	}
	return a
}

// Words counts the whitespace-separated words of s.
func Words(s string) int { return len(strings.Fields(s)) }

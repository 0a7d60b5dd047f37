# Generator of the demo social map (HSDS 3.0 nested JSON) for the fictional region Veerhaven,
# following the design in docs/social-map.md. Not used by the build yet (issue 4).
# Usage: python3 tools/social-map/gen.py OUT.json
import os
import json, uuid, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tax import term, term_id, TAX_URI, AGE
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://veerkracht.example/demo/regio-veerhaven")
def uid(*parts): return str(uuid.uuid5(NS, "/".join(parts)))
VH = ("Veerhaven", "Veerhaven", "فيرهافن"); LD = ("Lindedal", "Lindedal", "ليندِدال")
TODAY = "2026-11-22"
_ph = [100]
def phone():
    _ph[0] += 1
    return "010-000 0%03d" % _ph[0]

ORGS = {
 "vwn": ("Vluchtelingenwerk Veerhaven (fictief)", "Fictieve vrijwilligersorganisatie: maatschappelijke begeleiding, maatjes, taalcafés.", "vluchtelingenwerk-veerhaven.example"),
 "coa": ("AZC Veerhaven (COA, fictief)", "Fictieve opvanglocatie voor asielzoekers.", "azc-veerhaven.example"),
 "gzp": ("Gezondheidspost AZC Veerhaven (fictief)", "Fictieve gezondheidspost met huisartsenzorg voor azc-bewoners.", "gezondheidspost-veerhaven.example"),
 "gp_linde": ("Huisartsenpraktijk De Linde (fictief)", "Fictieve huisartsenpraktijk in Lindedal.", "delinde.example"),
 "gp_haven": ("Huisartsenpraktijk Havenkwartier (fictief)", "Fictieve huisartsenpraktijk in Veerhaven.", "havenkwartier.example"),
 "bggz": ("Basis-GGZ Veerhaven (fictief)", "Fictieve aanbieder van generalistische basis-GGZ.", "basisggz-veerhaven.example"),
 "sggz": ("GGZ Specialistisch Lindedal (fictief)", "Fictieve aanbieder van specialistische GGZ.", "ggz-lindedal.example"),
 "brug": ("Traumacentrum De Brug (fictief)", "Fictief centrum voor traumabehandeling van vluchtelingen.", "traumacentrum-debrug.example"),
 "kind": ("Praktijk Kind en Gezin Lindedal (fictief)", "Fictieve praktijk voor jeugd-GGZ.", "kindengezin-lindedal.example"),
 "wt_ld": ("Wijkteam Lindedal (fictief)", "Fictief wijkteam (sociaal domein) van Lindedal.", "wijkteam-lindedal.example"),
 "wt_vh": ("Wijkteam Veerhaven (fictief)", "Fictief wijkteam (sociaal domein) van Veerhaven.", "wijkteam-veerhaven.example"),
 "jgz": ("JGZ Veerhaven (fictief)", "Fictieve jeugdgezondheidszorg.", "jgz-veerhaven.example"),
 "gem_vh": ("Gemeente Veerhaven, Werk en Inkomen (fictief)", "Fictieve gemeentelijke afdeling voor inburgering en participatie.", "veerhaven.example"),
 "gem_ld": ("Gemeente Lindedal, Werk en Inkomen (fictief)", "Fictieve gemeentelijke afdeling voor inburgering en participatie.", "lindedal.example"),
 "coord": ("Regiocoördinatie Veerhaven (fictief)", "Fictieve regionale coördinatie van de PSH-keten en beheerder van deze sociale kaart.", "regio-veerhaven.example"),
 "samen": ("Stichting Samen Sterk Veerhaven (fictief)", "Fictieve zelforganisatie van nieuwkomers met getrainde sleutelpersonen.", "samensterk.example"),
 "bieb": ("Bibliotheek Veerhaven-Lindedal (fictief)", "Fictieve bibliotheek met taalhuis.", "bibliotheek-veerhaven.example"),
 "sport": ("Sportservice Veerhaven (fictief)", "Fictieve sportstichting.", "sportservice-veerhaven.example"),
 "vrouw": ("Vrouwencentrum Lindedal (fictief)", "Fictief ontmoetingscentrum voor vrouwen.", "vrouwencentrum-lindedal.example"),
 "voedsel": ("Voedselbank Lindedal (fictief)", "Fictieve voedselbank.", "voedselbank-lindedal.example"),
 "hap": ("Huisartsenpost Regio Veerhaven (fictief)", "Fictieve huisartsenpost voor avond, nacht en weekend.", "hap-veerhaven.example"),
 "l113": ("113 Zelfmoordpreventie (landelijk, informatief)", "Echte landelijke hulplijn, hier alleen als informatieve verwijzing met de openbare nummers 113 en 0800-0113.", None),
 "l112": ("Alarmnummer 112 (landelijk, informatief)", "Het echte landelijke alarmnummer, hier alleen als informatieve verwijzing.", None),
}
# location key: (org, name, lat, lon) ; coordinates are FICTIONAL but fall in a real area
LOCS = {
 "azc": ("coa", "AZC Veerhaven", 52.0862, 5.1583), "gzp": ("gzp", "Gezondheidspost AZC Veerhaven", 52.0866, 5.1590),
 "bieb_vh": ("bieb", "Bibliotheek Veerhaven", 52.1011, 5.1204), "bieb_ld": ("bieb", "Bibliotheek Lindedal", 52.1602, 5.2391),
 "vwn_vh": ("vwn", "Vluchtelingenwerk kantoor Veerhaven", 52.0987, 5.1151), "vwn_ld": ("vwn", "Vluchtelingenwerk spreekpunt Lindedal", 52.1588, 5.2433),
 "gp_linde": ("gp_linde", "Huisartsenpraktijk De Linde", 52.1625, 5.2357), "gp_haven": ("gp_haven", "Huisartsenpraktijk Havenkwartier", 52.1043, 5.1262),
 "bggz_vh": ("bggz", "Basis-GGZ Veerhaven, hoofdlocatie", 52.0969, 5.1302), "bggz_ld": ("bggz", "Basis-GGZ Veerhaven, locatie Lindedal", 52.1571, 5.2468),
 "sggz": ("sggz", "GGZ Specialistisch Lindedal", 52.1689, 5.2512), "brug": ("brug", "Traumacentrum De Brug", 52.1355, 5.1893),
 "kind": ("kind", "Praktijk Kind en Gezin Lindedal", 52.1641, 5.2420),
 "wt_ld": ("wt_ld", "Wijkteam Lindedal", 52.1612, 5.2402), "wt_vh": ("wt_vh", "Wijkteam Veerhaven", 52.1022, 5.1188),
 "jgz": ("jgz", "Consultatiebureau Veerhaven", 52.1031, 5.1236), "gem_vh": ("gem_vh", "Gemeentehuis Veerhaven", 52.1002, 5.1219),
 "gem_ld": ("gem_ld", "Gemeentehuis Lindedal", 52.1597, 5.2379), "samen": ("samen", "Buurthuis De Kade", 52.0955, 5.1099),
 "sport_ld": ("sport", "Sportpark Lindedal", 52.1654, 5.2297), "zwembad": ("sport", "Zwembad Veerhaven", 52.1077, 5.1341),
 "moestuin": ("samen", "Moestuin Groene Haven", 52.0921, 5.1402), "vrouw": ("vrouw", "Vrouwencentrum Lindedal", 52.1579, 5.2361),
 "voedsel": ("voedsel", "Voedselbank Lindedal, uitgiftepunt", 52.1633, 5.2444), "hap": ("hap", "Huisartsenpost Regio Veerhaven", 52.1203, 5.1705),
 "coord": ("coord", "Regiokantoor Veerhaven", 52.1008, 5.1230),
 "online_bggz": ("bggz", "Online (beeldbellen)", None, None), "online_samen": ("samen", "Online zelfhulp", None, None),
}
AREAS = {"vh": ("Gemeente Veerhaven", "urn:veerkracht:demo:gemeente:veerhaven"), "ld": ("Gemeente Lindedal", "urn:veerkracht:demo:gemeente:lindedal"),
         "azc": ("AZC Veerhaven (in gemeente Veerhaven)", "urn:veerkracht:demo:coa-locatie:azc-veerhaven"),
         "nl": ("Heel Nederland", "urn:veerkracht:area:nl")}
PHASE_TXT = {"coa": ("Wonend in een azc (COA-fase)", "Living in a reception centre (COA phase)", "مقيم في مركز استقبال (مرحلة COA)"),
             "municipality": ("Wonend in een gemeente (statushouder)", "Living in a municipality (status holder)", "مقيم في بلدية (حامل إقامة)")}
COST_TXT = {"free": ("Gratis", "Free", "مجاني"),
            "eigen_risico": ("Gratis, maar het eigen risico van de zorgverzekering geldt", "Free, but the health insurance deductible (eigen risico) applies", "مجاني، لكن يُطبَّق المبلغ الذاتي (eigen risico) لتأمينك الصحي"),
            "other": ("Kleine eigen bijdrage: 1 euro per keer", "Small contribution: 1 euro per visit", "مساهمة صغيرة: يورو واحد لكل مرة")}
ENTRY_TXT = {"no_referral": ("Kom langs tijdens de openingstijden; aanmelden is niet nodig.", "Drop in during opening hours; no need to sign up.", "تعال خلال أوقات العمل؛ لا حاجة للتسجيل."),
 "self_registration": ("Meld u zelf aan via het telefoonnummer hieronder.", "Sign up yourself by calling the number below.", "سجّل بنفسك عبر رقم الهاتف أدناه."),
 "gp_referral": ("U heeft een verwijzing van de huisarts nodig; in het azc verwijst de Gezondheidspost.", "You need a referral from the GP; in the reception centre the health post refers you.", "تحتاج إلى إحالة من الطبيب العام؛ وفي مركز الاستقبال تحيلك النقطة الصحية."),
 "other_referral": ("Aanmelding door een professional, bijvoorbeeld het wijkteam, de JGZ of Vluchtelingenwerk.", "Referral by a professional, for example the district team, youth health or Vluchtelingenwerk.", "الإحالة عن طريق مختص، مثل فريق الحي أو صحة الشباب أو منظمة مساعدة اللاجئين.")}
MODE_TXT = {"in_person": ("aanwezig", "in person", "حضوريًا"), "phone": ("via de telefoon", "by phone", "عبر الهاتف"), "video": ("via video", "by video", "عبر الفيديو")}
LANGNAME = {"nl": "Dutch", "en": "English", "ar": "Arabic", "ti": "Tigrinya", "fa": "Persian", "prs": "Dari", "tr": "Turkish", "so": "Somali", "uk": "Ukrainian"}

def T(nl, en, ar): return (nl, en, ar)
SV = []
def S(key, org, locs, lvl, iasc, ph, age, n, d, er, cost, interp, cs, cap, langs, areas, roles, assured,
      tg=(), ls=("asylum_seeker", "status_holder", "temporary_protection"), sched=None, docs=(), ap=None, status="active", alert=None, capdate=None):
    SV.append(dict(key=key, org=org, locs=locs, lvl=lvl, iasc=iasc, ph=ph, age=age, n=n, d=d, er=er, cost=cost, interp=interp, cs=cs,
                   cap=cap, langs=langs, areas=areas, roles=roles, assured=assured, tg=tg, ls=ls, sched=sched, docs=docs, ap=ap,
                   status=status, alert=alert, capdate=capdate or assured))
BOTH = ("coa", "municipality"); C = ("coa",); M = ("municipality",)
FREE2 = {"coa": "free", "municipality": "free"}; FREEC = {"coa": "free"}; FREEM = {"municipality": "free"}
ER2 = {"coa": "free", "municipality": "eigen_risico"}
NOI = None  # no interpreter
def I(modes, payer): return (modes, payer)
OPEN = ("open",); CLOSED = ("closed",)
def WL(w): return ("waitlist", w)
R_VOL = (("signals", "informs"),); R_VOLREF = (("signals", "informs", "refers", "follows_up"),)
R_GP = (("signals", "treats", "refers", "follows_up"),); R_TREAT = (("treats", "informs"),); R_WT = (("signals", "refers", "coordinates", "follows_up"),)
R_INFO = (("informs",),)
L0 = "L0"
# ---- L0 ----
for key, place, loc, area, sch, asd in [("taalcafe_vh", VH, "bieb_vh", "vh", ("WE", "14:00", "16:00"), "2026-09-14"), ("taalcafe_ld", LD, "bieb_ld", "ld", ("TH", "19:00", "21:00"), "2025-11-03")]:
    S(key, "bieb", [loc], L0, "2", BOTH, (16, None), T("Taalcafé " + place[0], "Language café " + place[1], "مقهى اللغة في " + place[2]),
      T("Elke week Nederlands oefenen in een ontspannen sfeer, met vrijwilligers en koffie.", "Practise Dutch every week in a relaxed setting, with volunteers and coffee.", "تدرّب على اللغة الهولندية كل أسبوع في جو مريح مع متطوعين وقهوة."),
      ("no_referral",), FREE2, NOI, ("group_format", "staff_trained"), OPEN, ("nl",), [area], R_VOL, asd, tg=("low_literacy",), ls=("no_limit",), sched=sch)
S("taalcafe_azc", "vwn", ["azc"], L0, "2", C, (16, None), T("Taalcafé in het azc", "Language café at the reception centre", "مقهى اللغة في مركز الاستقبال"),
  T("Nederlands oefenen met vrijwilligers, in het azc zelf.", "Practise Dutch with volunteers, inside the reception centre.", "تدرّب على الهولندية مع متطوعين داخل مركز الاستقبال."),
  ("no_referral",), FREEC, NOI, ("group_format",), OPEN, ("nl", "en"), ["azc"], R_VOL, "2026-10-01", ls=("asylum_seeker", "status_holder"), sched=("MO", "10:00", "12:00"))
S("peer_women_ar", "samen", ["samen"], L0, "2", BOTH, (18, None), T("Lotgenotengroep Arabischsprekende vrouwen", "Peer group for Arabic-speaking women", "مجموعة دعم للنساء الناطقات بالعربية"),
  T("Vrouwen delen ervaringen en steunen elkaar, begeleid door een getrainde sleutelpersoon.", "Women share experiences and support each other, led by a trained key person.", "تتبادل النساء التجارب ويدعمن بعضهن بعضًا بإشراف شخص مفتاحي مدرَّب."),
  ("no_referral", "self_registration"), FREE2, NOI, ("key_persons_involved", "group_format", "materials_own_language"), OPEN, ("ar", "nl"), ["vh", "azc"], R_VOLREF, "2026-08-20", tg=("women",), ls=("no_limit",), sched=("TU", "10:00", "12:00"))
S("peer_youth_ti", "samen", ["sport_ld"], L0, "2", M, (16, 26), T("Groep voor Tigrinya-sprekende jongeren", "Group for Tigrinya-speaking young people", "مجموعة للشباب الناطقين بالتغرينية"),
  T("Samen sporten, koken en praten over het leven in Nederland, voor jongeren die zonder ouders kwamen.", "Sport, cook and talk about life in the Netherlands together, for young people who came without parents.", "رياضة وطبخ وحديث عن الحياة في هولندا، للشباب الذين قدموا دون والديهم."),
  ("no_referral",), FREEM, NOI, ("key_persons_involved", "group_format"), OPEN, ("ti", "nl"), ["ld"], R_VOLREF, "2026-07-02", tg=("ex_amv",), ls=("status_holder", "asylum_seeker"), sched=("FR", "16:00", "19:00"))
S("peer_men_fa", "samen", ["azc"], L0, "2", C, (18, None), T("Mannengroep 'Thee en praten' (Farsi/Dari)", "Men's group 'Tea and talk' (Farsi/Dari)", "مجموعة الرجال «شاي وحديث» (الفارسية/الدارية)"),
  T("Wekelijkse gespreksgroep voor mannen in het azc over stress, slapen en het wachten.", "Weekly talk group for men at the reception centre about stress, sleep and waiting.", "مجموعة حوار أسبوعية للرجال في مركز الاستقبال حول التوتر والنوم والانتظار."),
  ("no_referral",), FREEC, NOI, ("key_persons_involved", "group_format", "materials_own_language"), OPEN, ("fa", "prs"), ["azc"], R_VOLREF, "2025-12-10", tg=("men",), ls=("asylum_seeker", "status_holder"), sched=("WE", "19:00", "21:00"))
for key, lang, lt, loc, ph, area, asd, cap in [("psyed_ar_azc", "ar", ("Arabisch", "Arabic", "العربية"), "azc", C, "azc", "2026-10-12", OPEN),
                                          ("psyed_ti_ld", "ti", ("Tigrinya", "Tigrinya", "التغرينية"), "bieb_ld", M, "ld", "2026-06-30", WL(4)),
                                          ("psyed_fa_vh", "fa", ("Farsi/Dari", "Farsi/Dari", "الفارسية/الدارية"), "samen", BOTH, "vh", "2026-09-01", OPEN)]:
    S(key, "samen", [loc], L0, "3", ph, (18, None), T("Groepsvoorlichting over stress en veerkracht in eigen taal (%s)" % lt[0], "Group psycho-education on stress and resilience in your own language (%s)" % lt[1], "توعية جماعية حول التوتر والصمود بلغتك (%s)" % lt[2]),
      T("Zes bijeenkomsten over stress, slaap, opvoeden en hulp vinden, gegeven door getrainde voorlichters uit de eigen gemeenschap.", "Six sessions on stress, sleep, parenting and finding help, led by trained facilitators from your own community.", "ست جلسات عن التوتر والنوم والتربية وإيجاد المساعدة، يقدّمها ميسّرون مدرَّبون من مجتمعك."),
      ("self_registration", "other_referral"), {p: "free" for p in ph}, NOI, ("key_persons_involved", "group_format", "materials_own_language", "staff_trained"), cap, (lang,), [area], R_VOLREF, asd,
      tg=("low_literacy",), ls=("no_limit",), sched=("TH", "10:00", "12:00"))
for key, place, area, loc, ph, asd in [("kp_azc", ("AZC Veerhaven", "AZC Veerhaven", "مركز استقبال فيرهافن"), "azc", "azc", C, "2026-10-20"),
                                     ("kp_ld", LD, "ld", "wt_ld", M, "2026-03-15"), ("kp_vh", VH, "vh", "samen", M, "2026-09-09")]:
    S(key, "samen", [loc], L0, "2", ph, (0, None), T("Sleutelpersonen " + place[0], "Key persons in " + place[1], "الأشخاص المفتاحيون في " + place[2]),
      T("Getrainde mensen uit de eigen gemeenschap luisteren, geven uitleg over zorg in Nederland en helpen de weg te vinden.", "Trained members of your own community listen, explain Dutch care and help you find your way.", "أشخاص مدرَّبون من مجتمعك يستمعون ويشرحون الرعاية في هولندا ويساعدونك في إيجاد طريقك."),
      ("no_referral", "self_registration"), {p: "free" for p in ph}, NOI, ("key_persons_involved", "materials_own_language", "staff_trained"), OPEN, ("ar", "ti", "fa", "prs", "so", "nl"), [area],
      (("signals", "informs", "follows_up"),), asd, ls=("no_limit",))
S("walk_ld", "sport", ["sport_ld"], L0, "2", M, (16, None), T("Wandelgroep 'Samen lopen' Lindedal", "Walking group 'Walking together' Lindedal", "مجموعة المشي «نمشي معًا» في ليندِدال"),
  T("Elke zaterdag een uur wandelen in het park, in een rustig tempo.", "One hour of walking in the park every Saturday, at an easy pace.", "ساعة مشي في الحديقة كل يوم سبت بوتيرة هادئة."),
  ("no_referral",), FREEM, NOI, ("group_format",), OPEN, ("nl",), ["ld"], R_VOL, "2026-05-01", ls=("no_limit",), sched=("SA", "10:00", "11:00"))
S("football_azc", "sport", ["azc"], L0, "2", C, (12, 23), T("Voetbal voor jongeren in het azc", "Football for young people at the reception centre", "كرة القدم للشباب في مركز الاستقبال"),
  T("Twee keer per week voetballen met trainers van de sportvereniging.", "Football twice a week with coaches from the sports club.", "كرة القدم مرتين في الأسبوع مع مدربين من النادي الرياضي."),
  ("no_referral",), FREEC, NOI, ("group_format",), OPEN, ("nl", "en"), ["azc"], R_VOL, "2026-09-25", tg=("amv", "ex_amv"), ls=("asylum_seeker", "status_holder"), sched=("TU,TH", "16:00", "17:30"))
S("swim_women_vh", "sport", ["zwembad"], L0, "2", BOTH, (12, None), T("Zwemmen voor vrouwen Veerhaven", "Swimming for women Veerhaven", "السباحة للنساء في فيرهافن"),
  T("Zwemles en vrij zwemmen alleen voor vrouwen, met vrouwelijke badmeesters.", "Swimming lessons and free swimming for women only, with female lifeguards.", "دروس سباحة وسباحة حرة للنساء فقط، مع منقذات."),
  ("self_registration",), {"coa": "free", "municipality": "other"}, NOI, ("staff_trained", "group_format"), WL(3), ("nl",), ["vh", "azc"], R_VOL, "2026-02-11", tg=("women",), ls=("no_limit",), sched=("SU", "09:00", "10:30"))
S("bike_women_ld", "sport", ["sport_ld"], L0, "2", M, (16, None), T("Fietsles voor vrouwen Lindedal", "Cycling lessons for women Lindedal", "دروس ركوب الدراجة للنساء في ليندِدال"),
  T("In tien lessen leren fietsen en veilig deelnemen aan het verkeer.", "Learn to cycle and ride safely in traffic in ten lessons.", "تعلّمي ركوب الدراجة والسير بأمان في حركة المرور خلال عشرة دروس."),
  ("self_registration",), FREEM, NOI, ("group_format",), WL(6), ("nl", "ar"), ["ld"], R_VOL, "2026-08-08", tg=("women",), ls=("no_limit",), sched=("WE", "10:00", "11:30"))
S("buddy", "vwn", ["vwn_vh", "vwn_ld"], L0, "2", M, (18, None), T("Maatjesproject Vluchtelingenwerk", "Buddy project Vluchtelingenwerk", "مشروع الرفيق لدى منظمة مساعدة اللاجئين"),
  T("Een vaste vrijwilliger trekt een half jaar met u op: de stad leren kennen, mensen ontmoeten, samen iets ondernemen.", "A regular volunteer spends six months with you: getting to know the town, meeting people, doing things together.", "متطوع ثابت يرافقك ستة أشهر: التعرّف على المدينة ولقاء الناس والقيام بأنشطة معًا."),
  ("self_registration", "other_referral"), FREEM, NOI, ("staff_trained",), WL(8), ("nl", "en"), ["vh", "ld"], R_VOLREF, "2026-07-15", ls=("status_holder", "temporary_protection"))
S("vwn_azc", "vwn", ["azc"], L0, "1", C, (0, None), T("Spreekuur Vluchtelingenwerk in het azc", "Vluchtelingenwerk drop-in at the reception centre", "ساعة استقبال منظمة مساعدة اللاجئين في مركز الاستقبال"),
  T("Vragen over uw procedure, uw rechten en waar u hulp vindt; de medewerker verwijst zo nodig door.", "Questions about your procedure, your rights and where to find help; staff refer you on if needed.", "أسئلة حول إجراءاتك وحقوقك وأين تجد المساعدة؛ ويحيلك الموظف عند الحاجة."),
  ("no_referral",), FREEC, I(("phone",), {"coa": "provider"}), ("interpreters_used", "staff_trained"), OPEN, ("nl", "en", "ar"), ["azc"], R_VOLREF, "2026-10-30", ls=("asylum_seeker", "status_holder"), sched=("MO,WE,FR", "09:30", "12:00"))
S("vwn_ld", "vwn", ["vwn_ld"], L0, "1", M, (18, None), T("Spreekuur Vluchtelingenwerk Lindedal", "Vluchtelingenwerk drop-in Lindedal", "ساعة استقبال منظمة مساعدة اللاجئين في ليندِدال"),
  T("Hulp bij wonen, post, geld en de weg naar zorg voor statushouders in de gemeente.", "Help with housing, letters, money and finding care for status holders in the municipality.", "مساعدة في السكن والرسائل والمال والوصول إلى الرعاية لحاملي الإقامة في البلدية."),
  ("no_referral",), FREEM, I(("phone",), {"municipality": "provider"}), ("interpreters_used",), OPEN, ("nl", "en"), ["ld"], R_VOLREF, "2026-04-02", ls=("status_holder", "temporary_protection"), sched=("TU", "13:00", "16:00"))
S("parents", "samen", ["samen", "azc"], L0, "2", BOTH, (18, None), T("Ouderbijeenkomsten 'Opvoeden in een nieuw land'", "Parent meetings 'Raising children in a new country'", "لقاءات الأهل «التربية في بلد جديد»"),
  T("Ouders praten over opvoeden, school en zorgen om hun kinderen, met een JGZ-verpleegkundige als gast.", "Parents talk about parenting, school and worries about their children, with a youth health nurse as guest.", "يتحدث الأهل عن التربية والمدرسة والقلق على أطفالهم، بحضور ممرضة من صحة الشباب."),
  ("no_referral", "self_registration"), FREE2, I(("in_person",), {"coa": "coa", "municipality": "municipality"}), ("key_persons_involved", "group_format", "interpreters_used"), OPEN, ("nl", "ar"), ["vh", "azc"], R_VOLREF, "2026-06-18", tg=("parents",), ls=("no_limit",), sched=("TH", "13:30", "15:30"))
S("sewing_ld", "vrouw", ["vrouw"], L0, "2", M, (16, None), T("Naaiatelier Lindedal", "Sewing workshop Lindedal", "ورشة الخياطة في ليندِدال"),
  T("Samen naaien en Nederlands praten; een plek om mensen te leren kennen.", "Sew together and speak Dutch; a place to get to know people.", "خياطة جماعية وتحدّث بالهولندية؛ مكان للتعرّف على الناس."),
  ("no_referral",), FREEM, NOI, ("group_format",), CLOSED, ("nl",), ["ld"], R_VOL, "2026-10-05", tg=("women",), ls=("no_limit",), status="temporarily closed",
  alert="Tijdelijk gesloten wegens verbouwing tot 1 februari 2027 (fictief).")
S("volwerk_vh", "gem_vh", ["gem_vh"], L0, "1", M, (18, 66), T("Vrijwilligerswerk vinden Veerhaven", "Finding volunteer work Veerhaven", "إيجاد عمل تطوعي في فيرهافن"),
  T("Een consulent zoekt met u vrijwilligerswerk dat past bij uw ervaring, als stap naar werk.", "A consultant helps you find volunteer work that fits your experience, as a step towards work.", "يساعدك مستشار في إيجاد عمل تطوعي يناسب خبرتك كخطوة نحو العمل."),
  ("self_registration", "other_referral"), FREEM, I(("phone", "video"), {"municipality": "municipality"}), ("interpreters_used",), OPEN, ("nl", "en"), ["vh"], (("refers", "follows_up"),), "2026-01-20", ls=("status_holder", "temporary_protection"))
S("moestuin", "samen", ["moestuin"], L0, "2", BOTH, (12, None), T("Moestuin Groene Haven", "Vegetable garden Groene Haven", "حديقة الخضروات «غرونه هافن»"),
  T("Buiten werken in een gezamenlijke moestuin; geen ervaring nodig.", "Work outdoors in a shared vegetable garden; no experience needed.", "العمل في الهواء الطلق في حديقة خضروات مشتركة؛ لا حاجة إلى خبرة."),
  ("no_referral",), FREE2, NOI, ("group_format",), OPEN, ("nl",), ["vh", "azc"], R_VOL, "2026-05-30", ls=("no_limit",), sched=("SA", "10:00", "13:00"))
S("homework_azc", "vwn", ["azc"], L0, "2", C, (6, 17), T("Huiswerkbegeleiding in het azc", "Homework support at the reception centre", "المساعدة في الواجبات المدرسية في مركز الاستقبال"),
  T("Vrijwilligers helpen kinderen na school met huiswerk en lezen.", "Volunteers help children with homework and reading after school.", "يساعد متطوعون الأطفال في الواجبات والقراءة بعد المدرسة."),
  ("no_referral",), FREEC, NOI, ("group_format",), OPEN, ("nl", "en"), ["azc"], R_VOL, "2026-09-30", tg=("children",), ls=("asylum_seeker", "status_holder"), sched=("MO,WE", "15:30", "17:00"))
S("vrouw_inloop", "vrouw", ["vrouw"], L0, "2", BOTH, (16, None), T("Inloop Vrouwencentrum Lindedal", "Drop-in at the Lindedal Women's Centre", "الاستقبال المفتوح في مركز النساء في ليندِدال"),
  T("Een veilige plek voor vrouwen om elkaar te ontmoeten, met activiteiten en een vertrouwenspersoon.", "A safe place for women to meet, with activities and a confidential adviser.", "مكان آمن للنساء للقاء، مع أنشطة وشخص موثوق للاستشارة."),
  ("no_referral",), FREE2, I(("phone",), {"coa": "provider", "municipality": "provider"}), ("staff_trained", "interpreters_used", "group_format"), OPEN, ("nl", "ar", "so"), ["ld", "azc"], R_VOLREF, "2026-08-27",
  tg=("women", "survivors_violence_torture"), ls=("no_limit",), sched=("TU,TH", "10:00", "15:00"))
S("lhbti", "samen", ["coord"], L0, "2", BOTH, (18, None), T("Ontmoetingsgroep LHBTI+ nieuwkomers", "Meeting group for LGBTI+ newcomers", "مجموعة لقاء للقادمين الجدد من مجتمع الميم"),
  T("Maandelijkse, besloten bijeenkomst; het adres krijgt u na aanmelding.", "Monthly closed meeting; you receive the address after signing up.", "لقاء شهري مغلق؛ تحصل على العنوان بعد التسجيل."),
  ("self_registration",), FREE2, NOI, ("staff_trained", "group_format"), OPEN, ("nl", "en", "ar"), ["vh", "ld", "azc"], R_VOLREF, "2026-07-22", tg=("lgbtiq",), ls=("no_limit",))
S("zelfhulp_online", "samen", ["online_samen"], L0, "3", BOTH, (16, None), T("Online zelfhulp 'Rustig worden' (fictief)", "Online self-help 'Calming down' (fictional)", "المساعدة الذاتية عبر الإنترنت «الهدوء» (خيالي)"),
  T("Vijf korte oefeningen met audio in eigen taal om met stress om te gaan.", "Five short exercises with audio in your own language to deal with stress.", "خمسة تمارين قصيرة مع تسجيل صوتي بلغتك للتعامل مع التوتر."),
  ("no_referral",), FREE2, NOI, ("materials_own_language",), OPEN, ("nl", "en", "ar", "ti", "fa", "uk"), ["nl"], R_INFO, "2026-03-01", tg=("low_literacy",), ls=("no_limit",))
S("ontspanning_azc", "gzp", ["gzp"], L0, "3", C, (18, None), T("Ontspanningsgroep in het azc", "Relaxation group at the reception centre", "مجموعة الاسترخاء في مركز الاستقبال"),
  T("Ademhalings- en ontspanningsoefeningen in een kleine groep, met een tolk.", "Breathing and relaxation exercises in a small group, with an interpreter.", "تمارين التنفس والاسترخاء في مجموعة صغيرة مع مترجم."),
  ("self_registration", "gp_referral"), FREEC, I(("in_person",), {"coa": "coa"}), ("interpreters_used", "group_format", "staff_trained"), WL(2), ("nl",), ["azc"], (("treats", "signals"),), "2026-10-08", ls=("asylum_seeker", "status_holder"), sched=("FR", "10:00", "11:00"))
S("voorlichting_zorg", "gzp", ["azc"], L0, "1", C, (16, None), T("Voorlichting 'Zorg in Nederland'", "Information session 'Health care in the Netherlands'", "جلسة معلومات «الرعاية الصحية في هولندا»"),
  T("Uitleg over de huisarts, de Gezondheidspost, spoedhulp en geestelijke gezondheid.", "Explanation of the GP, the health post, urgent care and mental health.", "شرح عن الطبيب العام والنقطة الصحية والمساعدة العاجلة والصحة النفسية."),
  ("no_referral",), FREEC, I(("in_person",), {"coa": "coa"}), ("interpreters_used", "materials_own_language", "group_format"), OPEN, ("nl",), ["azc"], R_INFO, "2026-11-02", ls=("asylum_seeker", "status_holder"), sched=("MO", "14:00", "15:30"))
S("voedselbank", "voedsel", ["voedsel"], L0, "1", M, (18, None), T("Voedselbank Lindedal (fictief)", "Food bank Lindedal (fictional)", "بنك الطعام في ليندِدال (خيالي)"),
  T("Wekelijks een voedselpakket voor huishoudens met een laag inkomen.", "A weekly food parcel for low-income households.", "طرد غذائي أسبوعي للأسر ذات الدخل المنخفض."),
  ("other_referral",), FREEM, NOI, (), WL(2), ("nl",), ["ld"], (("informs",),), "2025-10-14", ls=("no_limit",), docs=("Bewijs van inkomen en vaste lasten",), sched=("FR", "13:00", "16:00"))
# ---- L1 ----
for pk, pname, loc, area, asd, cap in [("gp_linde", "De Linde", "gp_linde", "ld", "2026-09-03", CLOSED), ("gp_haven", "Havenkwartier", "gp_haven", "vh", "2026-04-28", OPEN)]:
    S(pk, pk, [loc], "L1", "3", M, (0, None), T("Huisarts " + pname, "GP practice " + pname, "عيادة الطبيب العام «%s»" % ("دي ليندِه" if pk == "gp_linde" else "هافنكفارتير")),
      T("De huisarts voor lichamelijke en psychische klachten; de huisarts verwijst zo nodig naar de GGZ.", "The GP for physical and mental complaints; the GP refers to mental health care if needed.", "الطبيب العام للشكاوى الجسدية والنفسية؛ ويحيل إلى الرعاية النفسية عند الحاجة."),
      ("self_registration",), FREEM, I(("phone", "video"), {"municipality": "provider"}), ("interpreters_used",), cap, ("nl", "en"), [area], R_GP, asd,
      ls=("status_holder", "temporary_protection", "undocumented"), docs=("Identiteitsbewijs of verblijfsdocument", "Zorgpas van de zorgverzekering"), sched=("MO,TU,WE,TH,FR", "08:00", "17:00"))
    S("poh_" + pk, pk, [loc], "L1", "3", M, (16, None), T("POH-GGZ " + pname, "Mental health practice nurse " + pname, "ممرض الصحة النفسية في عيادة «%s»" % ("دي ليندِه" if pk == "gp_linde" else "هافنكفارتير")),
      T("Enkele gesprekken met de praktijkondersteuner GGZ bij stress, somberheid of slaapproblemen.", "A few sessions with the practice nurse for mental health for stress, low mood or sleep problems.", "بضع جلسات مع ممرض الصحة النفسية في العيادة بسبب التوتر أو الحزن أو مشاكل النوم."),
      ("gp_referral",), FREEM, I(("phone", "video", "in_person"), {"municipality": "provider"}), ("interpreters_used", "staff_trained"), WL(2 if pk == "gp_linde" else 1), ("nl",), [area], (("treats", "refers", "follows_up"),), asd,
      ls=("status_holder", "temporary_protection", "undocumented"))
S("gzp_huisarts", "gzp", ["gzp"], "L1", "3", C, (0, None), T("Huisartsenspreekuur Gezondheidspost AZC", "GP surgery at the AZC health post", "عيادة الطبيب العام في النقطة الصحية بمركز الاستقبال"),
  T("Huisartsenzorg voor bewoners van het azc; maak een afspraak via de telefoon of de balie.", "GP care for residents of the reception centre; make an appointment by phone or at the desk.", "رعاية الطبيب العام لسكان مركز الاستقبال؛ احجز موعدًا عبر الهاتف أو في المكتب."),
  ("self_registration",), FREEC, I(("phone", "in_person"), {"coa": "coa"}), ("interpreters_used", "staff_trained"), OPEN, ("nl", "en"), ["azc"], R_GP, "2026-10-15",
  ls=("asylum_seeker", "status_holder"), docs=("W-document of COA-pas",), sched=("MO,TU,WE,TH,FR", "08:30", "16:30"))
S("gzp_poh", "gzp", ["gzp"], "L1", "3", C, (12, None), T("POH-GGZ Gezondheidspost AZC", "Mental health practice nurse at the AZC health post", "ممرض الصحة النفسية في النقطة الصحية بمركز الاستقبال"),
  T("Gesprekken bij stress, slapeloosheid of zorgen, na verwijzing door de huisarts van de Gezondheidspost.", "Sessions for stress, sleeplessness or worries, after referral by the health post's GP.", "جلسات للتوتر أو الأرق أو المخاوف، بعد الإحالة من طبيب النقطة الصحية."),
  ("gp_referral",), FREEC, I(("in_person", "phone"), {"coa": "coa"}), ("interpreters_used", "staff_trained"), WL(3), ("nl",), ["azc"], (("treats", "refers", "follows_up"),), "2026-09-17", ls=("asylum_seeker", "status_holder"))
S("gzp_intake", "gzp", ["gzp"], "L1", "3", C, (0, None), T("Medische intake nieuwe bewoners", "Medical intake for new residents", "الفحص الطبي الأولي للسكان الجدد"),
  T("Een gesprek met een verpleegkundige kort na aankomst, ook over slapen, stress en zorgen.", "A talk with a nurse soon after arrival, also about sleep, stress and worries.", "حديث مع ممرض بعد الوصول بقليل، ويشمل النوم والتوتر والمخاوف."),
  ("no_referral",), FREEC, I(("in_person", "phone"), {"coa": "coa"}), ("interpreters_used",), OPEN, ("nl", "en"), ["azc"], (("signals", "refers"),), "2026-10-15", ls=("asylum_seeker",))
for key, org, loc, area, place, asd, cap in [("wt_ld", "wt_ld", "wt_ld", "ld", LD, "2026-08-12", WL(3)), ("wt_vh", "wt_vh", "wt_vh", "vh", VH, "2025-09-30", OPEN)]:
    S(key, org, [loc], "L1", "3", M, (18, None), T("Wijkteam " + place[0], "District team " + place[1], "فريق الحي في " + place[2]),
      T("Hulp bij problemen thuis, geldzorgen, opvoeden en psychosociale klachten; het wijkteam stemt af met huisarts en gemeente.", "Help with problems at home, money worries, parenting and psychosocial problems; the team coordinates with the GP and municipality.", "مساعدة في مشاكل المنزل والمال والتربية والمشكلات النفسية الاجتماعية؛ وينسّق الفريق مع الطبيب العام والبلدية."),
      ("self_registration", "other_referral"), FREEM, I(("phone", "in_person"), {"municipality": "municipality"}), ("interpreters_used", "staff_trained"), cap, ("nl",), [area], R_WT, asd,
      ls=("status_holder", "temporary_protection", "undocumented"), sched=("MO,TU,WE,TH,FR", "09:00", "17:00"))
S("wt_ld_jeugd", "wt_ld", ["wt_ld"], "L1", "3", M, (0, 22), T("Wijkteam Lindedal, jeugd en gezin", "District team Lindedal, youth and family", "فريق الحي في ليندِدال، الشباب والأسرة"),
  T("Ondersteuning voor gezinnen en jongeren, ook voor jongeren die zonder ouders kwamen (ex-AMV).", "Support for families and young people, including young people who came without parents (ex-AMV).", "دعم للأسر والشباب، ومنهم الشباب الذين قدموا دون والديهم."),
  ("self_registration", "other_referral"), FREEM, I(("phone", "in_person"), {"municipality": "municipality"}), ("interpreters_used", "staff_trained"), WL(4), ("nl",), ["ld"], R_WT, "2026-08-12",
  tg=("families", "parents", "ex_amv"), ls=("status_holder", "temporary_protection"))
S("jgz_cb", "jgz", ["jgz"], "L1", "2", M, (0, 3), T("Consultatiebureau JGZ Veerhaven", "Child health clinic Veerhaven", "عيادة صحة الطفل في فيرهافن"),
  T("Groei, ontwikkeling en vaccinaties van kinderen van 0 tot 4 jaar; ook vragen over slapen en gedrag.", "Growth, development and vaccinations of children aged 0 to 4; also questions about sleep and behaviour.", "النمو والتطور والتطعيمات للأطفال من 0 إلى 4 سنوات؛ وأسئلة عن النوم والسلوك."),
  ("no_referral", "self_registration"), FREEM, I(("phone",), {"municipality": "provider"}), ("interpreters_used",), OPEN, ("nl",), ["vh"], (("signals", "refers", "follows_up"),), "2026-06-05", tg=("children", "parents"), ls=("no_limit",))
S("jgz_school", "jgz", ["jgz"], "L1", "3", M, (4, 18), T("Jeugdarts en jeugdverpleegkundige (4–18 jaar)", "Youth doctor and youth nurse (4–18 years)", "طبيب الشباب وممرض الشباب (4–18 سنة)"),
  T("Gesprekken over gezondheid, school, stress en gevoelens; de JGZ verwijst zo nodig door.", "Talks about health, school, stress and feelings; youth health refers on if needed.", "أحاديث عن الصحة والمدرسة والتوتر والمشاعر؛ وتحيل صحة الشباب عند الحاجة."),
  ("self_registration",), FREEM, I(("phone",), {"municipality": "provider"}), ("interpreters_used",), OPEN, ("nl",), ["vh", "ld"], (("signals", "refers", "follows_up"),), "2026-06-05", tg=("children",), ls=("no_limit",))
S("jgz_azc", "jgz", ["gzp"], "L1", "3", C, (0, 17), T("JGZ in het azc", "Youth health at the reception centre", "صحة الشباب في مركز الاستقبال"),
  T("Jeugdverpleegkundigen zien alle kinderen in het azc en letten ook op stress en trauma.", "Youth nurses see every child in the reception centre and also look out for stress and trauma.", "يرى ممرضو صحة الشباب جميع الأطفال في مركز الاستقبال وينتبهون أيضًا إلى التوتر والصدمات."),
  ("no_referral",), FREEC, I(("in_person", "phone"), {"coa": "coa"}), ("interpreters_used", "staff_trained"), OPEN, ("nl",), ["azc"], (("signals", "refers", "follows_up"),), "2026-10-22", tg=("children", "amv"), ls=("asylum_seeker", "status_holder"))
for key, org, loc, area, place, asd in [("km_vh", "gem_vh", "gem_vh", "vh", VH, "2026-05-19"), ("km_ld", "gem_ld", "gem_ld", "ld", LD, "2026-09-21")]:
    S(key, org, [loc], L0, "1", M, (16, None), T("Klantmanager statushouders " + place[0], "Case manager for status holders, " + place[1], "مدير الحالة لحاملي الإقامة في " + place[2]),
      T("Maakt met u het plan inburgering en participatie (PIP) en houdt rekening met uw gezondheid.", "Makes your integration and participation plan (PIP) with you and takes your health into account.", "يضع معك خطة الاندماج والمشاركة ويأخذ صحتك في الاعتبار."),
      ("other_referral",), FREEM, I(("in_person", "phone", "video"), {"municipality": "municipality"}), ("interpreters_used",), OPEN, ("nl",), [area], (("signals", "coordinates", "follows_up"),), asd,
      ls=("status_holder",), ap=T("De gemeente nodigt u uit zodra u een woning in de gemeente krijgt.", "The municipality invites you as soon as you are given a home in the municipality.", "تدعوك البلدية فور حصولك على سكن فيها."))
S("ketencoord", "coord", ["coord"], "L1", "3", BOTH, (18, None), T("Ketencoördinatie PSH regio Veerhaven", "PSH chain coordination, Veerhaven region", "تنسيق سلسلة الدعم النفسي الاجتماعي في منطقة فيرهافن"),
  T("Voor professionals en vrijwilligers: advies over de route, overleg als het vastloopt en beheer van deze sociale kaart.", "For professionals and volunteers: advice on the route, consultation when things are stuck and maintenance of this social map.", "للمختصين والمتطوعين: نصيحة حول المسار واستشارة عند تعثّر الأمور وإدارة هذه الخريطة الاجتماعية."),
  ("no_referral",), FREE2, NOI, ("staff_trained",), OPEN, ("nl", "en"), ["vh", "ld", "azc"], (("coordinates", "informs"),), "2026-11-01", tg=("professionals",), ls=("no_limit",))
# ---- L2 ----
S("bggz_volw_vh", "bggz", ["bggz_vh"], "L2", "3", M, (18, None), T("Basis-GGZ: kortdurende behandeling volwassenen (Veerhaven)", "Basic mental health care: short treatment for adults (Veerhaven)", "الرعاية النفسية الأساسية: علاج قصير للبالغين (فيرهافن)"),
  T("Vijf tot twaalf gesprekken bij lichte tot matige klachten zoals angst, somberheid of stress.", "Five to twelve sessions for mild to moderate problems such as anxiety, low mood or stress.", "من خمس إلى اثنتي عشرة جلسة للمشكلات الخفيفة إلى المتوسطة مثل القلق أو الحزن أو التوتر."),
  ("gp_referral",), {"municipality": "eigen_risico"}, I(("in_person", "phone", "video"), {"municipality": "provider"}), ("interpreters_used", "staff_trained"), WL(6), ("nl", "en"), ["vh", "ld"], R_TREAT, "2026-08-30",
  ls=("status_holder", "temporary_protection"), docs=("Verwijsbrief van de huisarts", "Zorgpas van de zorgverzekering"))
S("bggz_volw_ld", "bggz", ["bggz_ld"], "L2", "3", M, (18, None), T("Basis-GGZ: kortdurende behandeling volwassenen (Lindedal)", "Basic mental health care: short treatment for adults (Lindedal)", "الرعاية النفسية الأساسية: علاج قصير للبالغين (ليندِدال)"),
  T("Dezelfde behandeling op de locatie Lindedal; tijdelijk geen nieuwe aanmeldingen.", "The same treatment at the Lindedal location; temporarily no new intakes.", "العلاج نفسه في موقع ليندِدال؛ لا قبول لطلبات جديدة مؤقتًا."),
  ("gp_referral",), {"municipality": "eigen_risico"}, I(("in_person", "phone", "video"), {"municipality": "provider"}), ("interpreters_used",), CLOSED, ("nl",), ["ld"], R_TREAT, "2026-10-28",
  ls=("status_holder", "temporary_protection"), docs=("Verwijsbrief van de huisarts",))
S("bggz_groep_ar", "bggz", ["bggz_vh"], "L2", "3", BOTH, (18, None), T("Groepsbehandeling 'Slaap en stress' (Arabisch)", "Group treatment 'Sleep and stress' (Arabic)", "علاج جماعي «النوم والتوتر» (بالعربية)"),
  T("Acht groepsbijeenkomsten in het Arabisch met een behandelaar en een tolk.", "Eight group sessions in Arabic with a therapist and an interpreter.", "ثماني جلسات جماعية بالعربية مع معالج ومترجم."),
  ("gp_referral",), ER2, I(("in_person",), {"coa": "coa", "municipality": "provider"}), ("interpreters_used", "group_format", "materials_own_language", "staff_trained"), WL(5), ("nl",), ["vh", "ld", "azc"], R_TREAT, "2026-07-07",
  ls=("asylum_seeker", "status_holder"), sched=("WE", "13:00", "15:00"))
S("bggz_azc", "bggz", ["gzp"], "L2", "3", C, (18, None), T("Basis-GGZ in het azc", "Basic mental health care at the reception centre", "الرعاية النفسية الأساسية في مركز الاستقبال"),
  T("Behandelaars houden spreekuur op de Gezondheidspost voor bewoners met lichte tot matige klachten.", "Therapists hold sessions at the health post for residents with mild to moderate problems.", "يعقد المعالجون جلسات في النقطة الصحية للسكان ذوي المشكلات الخفيفة إلى المتوسطة."),
  ("gp_referral",), FREEC, I(("in_person", "phone", "video"), {"coa": "coa"}), ("interpreters_used", "staff_trained"), WL(4), ("nl", "en"), ["azc"], R_TREAT, "2026-03-09", ls=("asylum_seeker", "status_holder"))
S("bggz_jeugd", "bggz", ["bggz_vh"], "L2", "3", BOTH, (12, 17), T("Basis-GGZ jeugd (12–17 jaar)", "Basic mental health care for young people (12–17)", "الرعاية النفسية الأساسية للشباب (12–17 سنة)"),
  T("Kortdurende behandeling voor jongeren, met ouders of voogd waar dat helpt.", "Short treatment for young people, with parents or guardian where that helps.", "علاج قصير للشباب، بمشاركة الوالدين أو الوصي عند الحاجة."),
  ("gp_referral", "other_referral"), FREE2, I(("in_person", "phone", "video"), {"coa": "coa", "municipality": "municipality"}), ("interpreters_used", "staff_trained"), WL(7), ("nl",), ["vh", "ld", "azc"], R_TREAT, "2026-09-12",
  tg=("amv", "ex_amv"), ls=("asylum_seeker", "status_holder", "temporary_protection"))
S("bggz_online", "bggz", ["online_bggz"], "L2", "3", BOTH, (18, None), T("Online behandeling via beeldbellen", "Online treatment by video call", "العلاج عبر مكالمة الفيديو"),
  T("Gesprekken met een behandelaar via beeldbellen, met een tolk in het gesprek.", "Sessions with a therapist by video call, with an interpreter joining.", "جلسات مع معالج عبر مكالمة الفيديو بمشاركة مترجم."),
  ("gp_referral",), ER2, I(("video",), {"coa": "coa", "municipality": "provider"}), ("interpreters_used",), WL(3), ("nl", "en"), ["vh", "ld", "azc"], R_TREAT, "2026-06-25", ls=("asylum_seeker", "status_holder", "temporary_protection"))
S("kind_gezin", "kind", ["kind"], "L2", "3", BOTH, (4, 12), T("Behandeling voor kinderen en gezinnen", "Treatment for children and families", "علاج للأطفال والأسر"),
  T("Speltherapie en gezinsgesprekken voor kinderen met angst, nachtmerries of gedragsproblemen.", "Play therapy and family sessions for children with anxiety, nightmares or behaviour problems.", "علاج باللعب وجلسات أسرية للأطفال الذين يعانون من القلق أو الكوابيس أو مشكلات سلوكية."),
  ("gp_referral", "other_referral"), FREE2, I(("in_person", "video"), {"coa": "coa", "municipality": "municipality"}), ("interpreters_used", "staff_trained"), WL(9), ("nl",), ["ld", "vh", "azc"], R_TREAT, "2025-12-01",
  tg=("children", "families"), ls=("no_limit",))
# ---- L3 ----
S("sggz_volw", "sggz", ["sggz"], "L3", "4", BOTH, (18, None), T("Specialistische behandeling volwassenen", "Specialist treatment for adults", "علاج متخصص للبالغين"),
  T("Diagnostiek en behandeling bij ernstige of complexe psychische problemen.", "Assessment and treatment of severe or complex mental health problems.", "تشخيص وعلاج المشكلات النفسية الشديدة أو المعقدة."),
  ("gp_referral",), ER2, I(("in_person", "phone", "video"), {"coa": "coa", "municipality": "provider"}), ("interpreters_used", "staff_trained"), WL(14), ("nl", "en"), ["vh", "ld", "azc"], R_TREAT, "2026-08-04",
  ls=("asylum_seeker", "status_holder", "temporary_protection"), docs=("Verwijsbrief van de huisarts",))
S("sggz_jeugd", "sggz", ["sggz"], "L3", "4", BOTH, (0, 17), T("Specialistische jeugd-GGZ", "Specialist youth mental health care", "رعاية نفسية متخصصة للشباب"),
  T("Behandeling van ernstige psychische problemen bij kinderen en jongeren.", "Treatment of severe mental health problems in children and young people.", "علاج المشكلات النفسية الشديدة لدى الأطفال والشباب."),
  ("gp_referral", "other_referral"), FREE2, I(("in_person", "video"), {"coa": "coa", "municipality": "municipality"}), ("interpreters_used", "staff_trained"), WL(16), ("nl",), ["vh", "ld", "azc"], R_TREAT, "2026-01-15",
  tg=("children", "amv"), ls=("asylum_seeker", "status_holder", "temporary_protection"))
S("brug_volw", "brug", ["brug"], "L3", "4", BOTH, (18, None), T("Traumabehandeling voor vluchtelingen", "Trauma treatment for refugees", "علاج الصدمات للاجئين"),
  T("Behandeling van PTSS en complexe traumaklachten na oorlog, geweld of marteling, met vaste tolken.", "Treatment of PTSD and complex trauma after war, violence or torture, with regular interpreters.", "علاج اضطراب ما بعد الصدمة والصدمات المعقدة بعد الحرب أو العنف أو التعذيب، مع مترجمين ثابتين."),
  ("gp_referral",), ER2, I(("in_person",), {"coa": "coa", "municipality": "provider"}), ("interpreters_used", "staff_trained", "materials_own_language"), WL(20), ("nl", "en", "ar"), ["vh", "ld", "azc"], R_TREAT, "2026-09-29",
  tg=("survivors_violence_torture",), ls=("asylum_seeker", "status_holder", "temporary_protection", "undocumented"), docs=("Verwijsbrief van de huisarts met hulpvraag",))
S("brug_gezin", "brug", ["brug"], "L3", "4", BOTH, (0, 17), T("Traumacentrum De Brug: kinderen en gezinnen", "Trauma centre De Brug: children and families", "مركز الصدمات «دي بروخ»: الأطفال والأسر"),
  T("Traumabehandeling voor kinderen, samen met hun ouders of voogd.", "Trauma treatment for children, together with their parents or guardian.", "علاج الصدمات للأطفال بمشاركة والديهم أو الوصي."),
  ("gp_referral", "other_referral"), FREE2, I(("in_person",), {"coa": "coa", "municipality": "municipality"}), ("interpreters_used", "staff_trained", "group_format"), WL(12), ("nl", "en"), ["vh", "ld", "azc"], R_TREAT, "2026-09-29",
  tg=("children", "families", "survivors_violence_torture"), ls=("asylum_seeker", "status_holder", "temporary_protection", "undocumented"))
S("brug_consult", "brug", ["brug"], "L3", "4", BOTH, (18, None), T("Consultatie voor huisartsen en POH-GGZ", "Consultation for GPs and practice nurses", "استشارة للأطباء العامين وممرضي الصحة النفسية"),
  T("Telefonisch overleg met een traumadeskundige over een cliënt, zonder dat de cliënt wordt aangemeld.", "Phone consultation with a trauma expert about a client, without registering the client.", "استشارة هاتفية مع خبير في الصدمات بشأن عميل، دون تسجيل العميل."),
  ("no_referral",), FREE2, NOI, ("staff_trained",), OPEN, ("nl",), ["vh", "ld", "azc"], (("informs",),), "2026-09-29", tg=("professionals",), ls=("no_limit",), sched=("TU,TH", "12:00", "13:00"))
S("sggz_fact", "sggz", ["sggz"], "L3", "4", M, (18, None), T("FACT-team Lindedal", "FACT team Lindedal (community mental health team)", "فريق FACT في ليندِدال (فريق الصحة النفسية المجتمعية)"),
  T("Zorg aan huis voor mensen met langdurige, ernstige psychische problemen.", "Care at home for people with long-term, severe mental health problems.", "رعاية في المنزل للأشخاص ذوي المشكلات النفسية الشديدة طويلة الأمد."),
  ("gp_referral", "other_referral"), {"municipality": "eigen_risico"}, I(("in_person", "phone"), {"municipality": "provider"}), ("interpreters_used",), WL(10), ("nl",), ["ld"], (("treats", "coordinates", "follows_up"),), "2025-11-20", ls=("status_holder", "temporary_protection"))
S("sggz_azc", "sggz", ["gzp"], "L3", "4", C, (18, None), T("Psychiatrisch consult in het azc", "Psychiatric consultation at the reception centre", "استشارة نفسية في مركز الاستقبال"),
  T("Een psychiater ziet bewoners op de Gezondheidspost, na verwijzing door de huisarts.", "A psychiatrist sees residents at the health post, after referral by the GP.", "يرى طبيب نفسي السكان في النقطة الصحية بعد الإحالة من الطبيب العام."),
  ("gp_referral",), FREEC, I(("in_person", "video"), {"coa": "coa"}), ("interpreters_used", "staff_trained"), WL(5), ("nl", "en"), ["azc"], R_TREAT, "2026-10-15", ls=("asylum_seeker", "status_holder"))
# ---- crisis ----
S("l113", "l113", [], "crisis", "4", BOTH, (0, None), T("113 Zelfmoordpreventie (informatief)", "113 Suicide Prevention (informational)", "113 للوقاية من الانتحار (للمعلومات)"),
  T("Landelijke hulplijn bij gedachten aan zelfdoding: bel 113 of gratis 0800-0113, dag en nacht.", "National helpline for thoughts of suicide: call 113 or free 0800-0113, day and night.", "خط مساعدة وطني عند التفكير في الانتحار: اتصل بالرقم 113 أو مجانًا 0800-0113 ليلًا ونهارًا."),
  ("no_referral",), FREE2, NOI, (), OPEN, ("nl",), ["nl"], R_INFO, "2026-11-01", ls=("no_limit",),
  ap=T("Bel 113 of gratis 0800-0113. Bij direct levensgevaar: bel 112.", "Call 113 or free 0800-0113. If a life is in immediate danger: call 112.", "اتصل بالرقم 113 أو مجانًا 0800-0113. عند وجود خطر مباشر على الحياة: اتصل بالرقم 112."))
S("l112", "l112", [], "crisis", "1", BOTH, (0, None), T("112 Alarmnummer (informatief)", "112 Emergency number (informational)", "112 رقم الطوارئ (للمعلومات)"),
  T("Bel 112 bij direct levensgevaar: politie, ambulance of brandweer.", "Call 112 when a life is in immediate danger: police, ambulance or fire brigade.", "اتصل بالرقم 112 عند وجود خطر مباشر على الحياة: الشرطة أو الإسعاف أو الإطفاء."),
  ("no_referral",), FREE2, NOI, (), OPEN, ("nl", "en"), ["nl"], R_INFO, "2026-11-01", ls=("no_limit",), ap=T("Bel 112.", "Call 112.", "اتصل بالرقم 112."))
S("hap", "hap", ["hap"], "crisis", "4", M, (0, None), T("Huisartsenpost regio Veerhaven", "GP out-of-hours service, Veerhaven region", "مركز الطبيب العام خارج أوقات العمل في منطقة فيرهافن"),
  T("'s Avonds, 's nachts en in het weekend, voor spoed die niet kan wachten tot de eigen huisarts open is. Bel eerst.", "Evenings, nights and weekends, for urgent problems that cannot wait until your own GP is open. Call first.", "في المساء والليل وعطلة نهاية الأسبوع، للحالات العاجلة التي لا تحتمل الانتظار حتى يفتح طبيبك. اتصل أولًا."),
  ("no_referral",), FREEM, I(("phone",), {"municipality": "provider"}), ("interpreters_used",), OPEN, ("nl", "en"), ["vh", "ld"], (("treats", "refers"),), "2026-07-30", ls=("no_limit",),
  ap=T("Bel eerst het nummer van de huisartsenpost; kom niet zonder afspraak.", "Call the out-of-hours number first; do not come without an appointment.", "اتصل أولًا برقم مركز الطبيب خارج أوقات العمل؛ لا تأتِ دون موعد."))
S("crisisdienst", "sggz", ["sggz"], "crisis", "4", BOTH, (18, None), T("GGZ Crisisdienst", "Mental health crisis service", "خدمة الأزمات النفسية"),
  T("Beoordeling binnen enkele uren bij een acute psychische crisis, na aanmelding door huisarts, huisartsenpost of Gezondheidspost.", "Assessment within a few hours in an acute mental health crisis, after referral by the GP, out-of-hours service or health post.", "تقييم خلال بضع ساعات في أزمة نفسية حادة، بعد الإحالة من الطبيب العام أو مركز الطبيب خارج أوقات العمل أو النقطة الصحية."),
  ("gp_referral", "other_referral"), ER2, I(("in_person", "phone"), {"coa": "coa", "municipality": "provider"}), ("interpreters_used",), OPEN, ("nl", "en"), ["vh", "ld", "azc"], (("treats", "refers", "coordinates"),), "2026-05-12",
  ls=("no_limit",))
S("gzp_spoed", "gzp", ["gzp"], "crisis", "4", C, (0, None), T("Spoedlijn Gezondheidspost AZC (fictief)", "Urgent line of the AZC health post (fictional)", "الخط العاجل للنقطة الصحية بمركز الاستقبال (خيالي)"),
  T("Voor bewoners van het azc bij spoed buiten kantoortijden, ook bij een psychische crisis.", "For residents of the reception centre with urgent problems outside office hours, including a mental health crisis.", "لسكان مركز الاستقبال في الحالات العاجلة خارج أوقات العمل، بما في ذلك الأزمات النفسية."),
  ("no_referral",), FREEC, I(("phone",), {"coa": "coa"}), ("interpreters_used",), OPEN, ("nl", "en"), ["azc"], (("treats", "refers"),), "2026-10-15", ls=("asylum_seeker", "status_holder"))

# ---------------- build the nested HSDS 3.0 service_package ----------------
from tax import AGE as AGES
DOC_TR = {"Bewijs van inkomen en vaste lasten": ("Proof of income and fixed costs", "إثبات الدخل والتكاليف الثابتة"),
          "Identiteitsbewijs of verblijfsdocument": ("Identity document or residence document", "وثيقة هوية أو وثيقة إقامة"),
          "Zorgpas van de zorgverzekering": ("Health insurance card", "بطاقة التأمين الصحي"),
          "W-document of COA-pas": ("W document or COA card", "وثيقة W أو بطاقة COA"),
          "Verwijsbrief van de huisarts": ("Referral letter from the GP", "رسالة إحالة من الطبيب العام"),
          "Verwijsbrief van de huisarts met hulpvraag": ("Referral letter from the GP stating the request for help", "رسالة إحالة من الطبيب العام تتضمن طلب المساعدة")}
TITLE = {"vwn": "Coördinator vrijwilligers", "samen": "Coördinator sleutelpersonen", "bieb": "Coördinator taalhuis", "sport": "Coördinator sport",
         "vrouw": "Coördinator", "voedsel": "Coördinator intake", "gp_linde": "Praktijkmanager", "gp_haven": "Praktijkmanager", "gzp": "Teamleider Gezondheidspost",
         "coa": "Woonbegeleider", "bggz": "Zorgcoördinator", "sggz": "Zorgcoördinator", "brug": "Zorgcoördinator", "kind": "Zorgcoördinator",
         "wt_ld": "Teamleider", "wt_vh": "Teamleider", "jgz": "Teamleider JGZ", "gem_vh": "Teamleider statushouders", "gem_ld": "Teamleider statushouders",
         "coord": "Ketencoördinator PSH", "hap": "Praktijkmanager", "l113": "Landelijke hulplijn", "l112": "Landelijk alarmnummer"}
EMBED_TAX = False
ASSURER = "sociale-kaart@regio-veerhaven.example"
def attr(link_id, entity, code, value=None):
    dim = code.split(".")[0]
    a = {"id": uid("attribute", link_id, code), "link_id": link_id, "link_entity": entity, "link_type": dim,
         "taxonomy_term_id": term_id(code), "taxonomy_term": term(code, EMBED_TAX)}
    if value is not None: a["value"] = value
    return a
def tr(link_id, entity, field, texts):
    out = []
    for lang, txt in zip(("en", "ar"), texts[1:]):
        out.append(attr(link_id, entity, "translation.%s.%s" % (field, lang), txt))
    return out
def trstatus(link_id, entity):
    return [attr(link_id, entity, "translation_status.en", "draft"), attr(link_id, entity, "translation_status.ar", "draft")]
def elig(s):
    ph = s["ph"]
    if ph == C: t = ["Voor bewoners van het azc.", "For residents of the reception centre.", "لسكان مركز الاستقبال."]
    elif ph == M: t = ["Voor mensen die in de gemeente wonen.", "For people living in the municipality.", "للمقيمين في البلدية."]
    else: t = ["Voor bewoners van het azc en mensen die in de gemeente wonen.", "For residents of the reception centre and people living in the municipality.", "لسكان مركز الاستقبال والمقيمين في البلدية."]
    lo, hi = s["age"]
    if hi is not None:
        a = ("Leeftijd %d tot en met %d jaar." % (lo, hi), "Age %d to %d." % (lo, hi), "العمر من %d إلى %d سنة." % (lo, hi))
    elif lo > 0:
        a = ("Vanaf %d jaar." % lo, "Aged %d and over." % lo, "من عمر %d سنة فما فوق." % lo)
    else: a = None
    if a: t = [x + " " + y for x, y in zip(t, a)]
    return tuple(t)
def interp_txt(s):
    if not s["interp"]:
        return ("Geen professionele tolk; vraag welke talen de medewerkers spreken.", "No professional interpreter; ask which languages staff speak.", "لا يوجد مترجم محترف؛ اسأل عن اللغات التي يتحدثها الموظفون.")
    m = s["interp"][0]
    return ("Professionele tolk " + ", ".join(MODE_TXT[x][0] for x in m) + ".", "Professional interpreter " + ", ".join(MODE_TXT[x][1] for x in m) + ".",
            "مترجم محترف " + "، ".join(MODE_TXT[x][2] for x in m) + ".")
def fees_txt(s):
    return tuple(" ".join("%s: %s." % (PHASE_TXT[p][i], COST_TXT[s["cost"][p]][i]) for p in s["ph"]) for i in range(3))
def apply_txt(s):
    if s["ap"]: return s["ap"]
    return tuple(" ".join(ENTRY_TXT[e][i] for e in s["er"]) for i in range(3))
def age_groups(lo, hi):
    hi = 200 if hi is None else hi
    return [c for c, a, b in AGES if a <= hi and b >= lo]
def org_obj(ok):
    name, desc, dom = ORGS[ok]
    o = {"id": uid("organization", ok), "name": name, "description": desc}
    if dom:
        o["email"] = "info@" + dom; o["website"] = "https://" + dom + "/"
        o["phones"] = [{"id": uid("phone", "org", ok), "organization_id": o["id"], "number": phone(), "type": "voice"}]
    elif ok == "l113":
        o["phones"] = [{"id": uid("phone", "org", ok, "1"), "organization_id": o["id"], "number": "113", "type": "voice"},
                       {"id": uid("phone", "org", ok, "2"), "organization_id": o["id"], "number": "0800-0113", "type": "voice", "description": "Gratis"}]
    elif ok == "l112":
        o["phones"] = [{"id": uid("phone", "org", ok), "organization_id": o["id"], "number": "112", "type": "voice"}]
    return o
ORG_CACHE = {}
def build_service(s):
    sid = uid("service", s["key"]); ok = s["org"]
    if ok not in ORG_CACHE: ORG_CACHE[ok] = org_obj(ok)
    org = ORG_CACHE[ok]
    ap, el, it, fe = apply_txt(s), elig(s), interp_txt(s), fees_txt(s)
    sv = {"id": sid, "organization_id": org["id"], "name": s["n"][0], "description": s["d"][0], "status": s["status"],
          "application_process": ap[0], "eligibility_description": el[0], "minimum_age": s["age"][0]}
    if s["age"][1] is not None: sv["maximum_age"] = s["age"][1]
    sv.update({"interpretation_services": it[0], "fees_description": fe[0], "assured_date": s["assured"], "assurer_email": ASSURER})
    if s["alert"]: sv["alert"] = s["alert"]
    dom = ORGS[ok][2]
    if dom: sv["email"] = "aanmelden@" + dom
    # phones
    if ok == "l113":
        sv["phones"] = [{"id": uid("phone", sid, "1"), "service_id": sid, "number": "113", "type": "voice", "description": "Dag en nacht"},
                        {"id": uid("phone", sid, "2"), "service_id": sid, "number": "0800-0113", "type": "voice", "description": "Gratis, dag en nacht"}]
    elif ok == "l112":
        sv["phones"] = [{"id": uid("phone", sid), "service_id": sid, "number": "112", "type": "voice", "description": "Alleen bij direct levensgevaar"}]
    else:
        sv["phones"] = [{"id": uid("phone", sid), "service_id": sid, "number": phone(), "type": "voice"}]
    # schedules (times are local Europe/Amsterdam; see docs/social-map.md)
    if s["sched"]:
        byday, o, c = s["sched"]
        sv["schedules"] = [{"id": uid("schedule", sid), "service_id": sid, "freq": "WEEKLY", "interval": 1, "byday": byday,
                            "opens_at": o, "closes_at": c, "description": "Wekelijks, %s, %s-%s" % (byday, o, c)}]
    sv["languages"] = [{"id": uid("language", sid, l), "service_id": sid, "name": LANGNAME[l], "code": l} for l in s["langs"]]
    sv["service_areas"] = [{"id": uid("service_area", sid, a), "service_id": sid, "name": AREAS[a][0], "uri": AREAS[a][1]} for a in s["areas"]]
    # cost options, one per phase
    cos = []
    for p in s["ph"]:
        cid = uid("cost_option", sid, p); cc = s["cost"][p]
        co = {"id": cid, "service_id": sid, "option": PHASE_TXT[p][0], "currency": "EUR", "amount_description": COST_TXT[cc][0]}
        if cc == "free": co["amount"] = 0
        if cc == "other": co["amount"] = 1
        at = [attr(cid, "cost_option", "phase." + p), attr(cid, "cost_option", "cost." + cc)]
        if s["interp"]: at.append(attr(cid, "cost_option", "interpreter.paid_by." + s["interp"][1][p]))
        at += tr(cid, "cost_option", "option", PHASE_TXT[p]) + tr(cid, "cost_option", "amount_description", COST_TXT[cc]) + trstatus(cid, "cost_option")
        co["attributes"] = at
        cos.append(co)
    sv["cost_options"] = cos
    if s["docs"]:
        rds = []
        for d in s["docs"]:
            rid = uid("required_document", sid, d)
            rds.append({"id": rid, "service_id": sid, "document": d,
                        "attributes": tr(rid, "required_document", "document", (d,) + DOC_TR[d]) + trstatus(rid, "required_document")})
        sv["required_documents"] = rds
    # contact with chain roles
    cons = []
    for i, roles in enumerate(s["roles"]):
        cid = uid("contact", sid, str(i))
        con = {"id": cid, "service_id": sid, "name": "Aanspreekpunt keten: " + s["n"][0], "title": TITLE[ok]}
        if dom: con["email"] = "keten@" + dom
        if ok == "l113": con["phones"] = [{"id": uid("phone", cid), "contact_id": cid, "number": "0800-0113", "type": "voice"}]
        elif ok == "l112": con["phones"] = [{"id": uid("phone", cid), "contact_id": cid, "number": "112", "type": "voice"}]
        else: con["phones"] = [{"id": uid("phone", cid), "contact_id": cid, "number": phone(), "type": "voice"}]
        con["attributes"] = [attr(cid, "contact", "chain_role." + r) for r in roles]
        cons.append(con)
    sv["contacts"] = cons
    # locations
    sals = []
    for lk in s["locs"]:
        lorg, lname, lat, lon = LOCS[lk]
        lid = uid("location", lk)
        loc = {"id": lid, "location_type": "physical" if lat is not None else "virtual", "organization_id": uid("organization", lorg), "name": lname}
        if lat is not None: loc["latitude"] = lat; loc["longitude"] = lon
        else: loc["url"] = "https://" + ORGS[lorg][2] + "/online"
        sals.append({"id": uid("service_at_location", sid, lk), "service_id": sid, "location_id": lid, "location": loc})
    if sals: sv["service_at_locations"] = sals
    sv["organization"] = org
    # attributes on the service
    A = [attr(sid, "service", "care_level." + s["lvl"]), attr(sid, "service", "iasc_layer." + s["iasc"])]
    A += [attr(sid, "service", "phase." + p) for p in s["ph"]]
    A += [attr(sid, "service", "age_group." + g) for g in age_groups(*s["age"])]
    A += [attr(sid, "service", "target_group." + g) for g in s["tg"]]
    A += [attr(sid, "service", "legal_status." + g) for g in s["ls"]]
    A += [attr(sid, "service", "entry_route." + e) for e in s["er"]]
    if s["interp"]:
        A.append(attr(sid, "service", "interpreter.provided"))
        A += [attr(sid, "service", "interpreter.mode." + m) for m in s["interp"][0]]
    else:
        A.append(attr(sid, "service", "interpreter.not_provided"))
    A += [attr(sid, "service", "culture." + c) for c in s["cs"]]
    cap = s["cap"]
    A.append(attr(sid, "service", "capacity." + cap[0], str(cap[1]) if cap[0] == "waitlist" else None))
    A.append(attr(sid, "service", "capacity.updated", s["capdate"]))
    for f, txt in (("name", s["n"]), ("description", s["d"]), ("application_process", ap), ("eligibility_description", el),
                   ("interpretation_services", it), ("fees_description", fe)):
        A += tr(sid, "service", f, txt)
    A += trstatus(sid, "service")
    sv["attributes"] = A
    return sv
if __name__ == "__main__":
    out = [build_service(s) for s in SV]
    json.dump(out, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
    print(len(out), "services")

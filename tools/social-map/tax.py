# The Veerkracht PSH taxonomy (design for issue 4). Shared by the generator and the checker.
import uuid
TAX_URI = "https://veerkracht.example/taxonomy/psh/1"
TAX_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, TAX_URI))
TAXONOMY = {"id": TAX_ID, "name": "Veerkracht PSH social-map taxonomy, version 1",
            "description": "Veerkracht extensions to HSDS 3.0 for a psychosocial-care (PSH) social map: care level, IASC layer, phase, audience, entry route, cost per phase, interpreter, culture sensitivity, capacity, chain role, translations.",
            "uri": TAX_URI}
# (code, name, parent code or None, description, value rule)
DIMS = [
 ("care_level", "Care level", "Dutch stepped-care level (domain brief section 4). Exactly one per service.", "none"),
 ("iasc_layer", "IASC MHPSS pyramid layer", "IASC intervention pyramid layer, 1 = basic services and security ... 4 = specialised services. Exactly one per service.", "none"),
 ("phase", "Phase", "Where the client lives: in COA reception or in a municipality. One or both per service; one per cost_option.", "none"),
 ("age_group", "Age group", "Age bands the service serves; derived from minimum_age/maximum_age.", "none"),
 ("target_group", "Target group", "Who the service is especially for. None means everyone in the phase.", "none"),
 ("legal_status", "Legal status accepted", "Residence statuses the service accepts. At least one per service.", "none"),
 ("entry_route", "Entry route", "How to get in. At least one per service.", "none"),
 ("cost", "Cost to the client", "Cost to the client, on a cost_option that also carries its phase.", "none"),
 ("interpreter", "Interpreter", "Whether a professional interpreter is provided, how, and who pays.", "none"),
 ("culture", "Culture-sensitivity point", "Culture-sensitivity points the provider states.", "none"),
 ("capacity", "Capacity now", "Intake capacity now and the date it was last updated.", "none"),
 ("chain_role", "Chain role", "The role of the responsible contact in the local chain; on a contact.", "none"),
 ("translation", "Translation", "Text of one field in one language; value holds the text.", "none"),
 ("translation_status", "Translation review status", "Review status of all translations in one language on the object; value draft|reviewed.", "none"),
]
T = []  # (code, name, parent, description)
def add(dim, code, name, desc): T.append((dim + "." + code, name, dim, desc))
for c, n, d in [("L0", "L0 informal and community (0de lijn)", "Self-help, peers, key persons, volunteers, group psycho-education in own language, activation, sport, language café."),
                ("L1", "L1 first line (1e lijn)", "GP with POH-GGZ, district team, youth health, reception health post."),
                ("L2", "L2 basic mental health care (generalistische basis-GGZ)", "Short treatment for mild to moderate problems."),
                ("L3", "L3 specialist mental health care (specialistische GGZ)", "Complex or severe problems, including trauma centres."),
                ("crisis", "Crisis", "Immediate help; overrides every other route.")]:
    add("care_level", c, n, d)
for c, n in [("1", "Layer 1: basic services and security"), ("2", "Layer 2: community and family supports"),
             ("3", "Layer 3: focused, non-specialised support"), ("4", "Layer 4: specialised services")]:
    add("iasc_layer", c, n, n + " (IASC MHPSS intervention pyramid).")
add("phase", "coa", "COA phase", "Lives in a COA reception location (asylum seeker, or status holder still in reception).")
add("phase", "municipality", "Municipality phase", "Lives in a municipality (status holder housed, or other resident).")
AGE = [("0_3", 0, 3), ("4_11", 4, 11), ("12_17", 12, 17), ("18_26", 18, 26), ("27_64", 27, 64), ("65_plus", 65, 200)]
for c, lo, hi in AGE:
    add("age_group", c, c.replace("_plus", "+").replace("_", "-") + " years", "Ages %d to %s." % (lo, "any" if hi == 200 else hi))
for c, n in [("ex_amv", "Former unaccompanied minors (ex-AMV)"), ("amv", "Unaccompanied minors (AMV)"), ("parents", "Parents"),
             ("women", "Women"), ("men", "Men"), ("children", "Children"), ("families", "Families"),
             ("survivors_violence_torture", "Survivors of violence or torture"), ("low_literacy", "Low literacy"),
             ("lgbtiq", "LGBTIQ+ people"), ("older_adults", "Older adults"), ("professionals", "Professionals and volunteers (consultation)")]:
    add("target_group", c, n, n + ".")
for c, n in [("asylum_seeker", "Asylum seeker (in procedure)"), ("status_holder", "Status holder (residence permit)"),
             ("temporary_protection", "Temporary protection (e.g. displaced from Ukraine)"), ("undocumented", "Undocumented"),
             ("no_limit", "No limit: any residence status")]:
    add("legal_status", c, n, n + ".")
for c, n in [("no_referral", "No referral: walk in"), ("gp_referral", "GP referral needed"),
             ("other_referral", "Referral by another professional"), ("self_registration", "Self-registration (sign up yourself)")]:
    add("entry_route", c, n, n + ".")
for c, n in [("free", "Free for the client"), ("eigen_risico", "Eigen risico of the health insurance applies"), ("other", "Other cost (see amount and amount_description)")]:
    add("cost", c, n, n + ".")
for c, n in [("provided", "Professional interpreter provided"), ("not_provided", "No professional interpreter provided"),
             ("mode.in_person", "Interpreter in person"), ("mode.phone", "Interpreter by phone"), ("mode.video", "Interpreter by video"),
             ("paid_by.coa", "Interpreter paid by COA"), ("paid_by.municipality", "Interpreter paid by the municipality"),
             ("paid_by.provider", "Interpreter paid by the provider"), ("paid_by.client", "Interpreter paid by the client"),
             ("paid_by.not_applicable", "No interpreter cost")]:
    add("interpreter", c, n, n + ".")
for c, n in [("staff_trained", "Staff trained in culture-sensitive work"), ("interpreters_used", "Works with interpreters routinely"),
             ("materials_own_language", "Materials in the client's own language"), ("key_persons_involved", "Key persons involved"),
             ("group_format", "Group format available")]:
    add("culture", c, n, n + ".")
for c, n in [("open", "Open for intake"), ("waitlist", "Waiting list (value: expected weeks, integer)"), ("closed", "Closed for intake"),
             ("updated", "Capacity last updated (value: ISO date)")]:
    add("capacity", c, n, n + ".")
for c, n in [("signals", "Signals"), ("refers", "Refers"), ("treats", "Treats"), ("coordinates", "Coordinates"),
             ("follows_up", "Follows up"), ("informs", "Informs")]:
    add("chain_role", c, n, "The contact " + n.lower() + " in the local chain.")
TR_FIELDS = ["name", "alternate_name", "description", "application_process", "eligibility_description", "fees_description",
             "interpretation_services", "alert", "option", "amount_description", "document", "title", "department", "transportation", "notes"]
TR_LANGS = {"en": "English", "ar": "Arabic", "fa": "Persian", "prs": "Dari", "ps": "Pashto", "ti": "Tigrinya", "so": "Somali",
            "tr": "Turkish", "uk": "Ukrainian", "ru": "Russian", "fr": "French", "ku": "Kurdish"}
LANG_OF = {}
for f in TR_FIELDS:
    for l, ln in TR_LANGS.items():
        add("translation", f + "." + l, "%s in %s" % (f, ln), "%s text of %s." % (ln, f))
        LANG_OF["translation." + f + "." + l] = l
for l, ln in TR_LANGS.items():
    add("translation_status", l, "%s translations: review status" % ln, "draft or reviewed (%s)." % ln)
    LANG_OF["translation_status." + l] = l
def term_id(code): return str(uuid.uuid5(uuid.NAMESPACE_URL, TAX_URI + "#" + code))
def term(code, embed_taxonomy=True):
    if code in [d[0] for d in DIMS]:
        d = [x for x in DIMS if x[0] == code][0]
        t = {"id": term_id(code), "code": code, "name": d[1], "description": d[2]}
    else:
        c, n, p, desc = [x for x in T if x[0] == code][0]
        t = {"id": term_id(code), "code": code, "name": n, "description": desc, "parent_id": term_id(p)}
    t["taxonomy_id"] = TAX_ID
    t["term_uri"] = TAX_URI + "#" + code
    t["language"] = LANG_OF.get(code, "en")
    if embed_taxonomy: t["taxonomy"] = dict(TAXONOMY)
    return t
ALL_CODES = [d[0] for d in DIMS] + [x[0] for x in T]

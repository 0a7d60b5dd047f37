# Checker of the Veerkracht PSH profile (docs/social-map.md) over an HSDS service_package.
import os
import json, sys, re, collections, datetime
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tax import ALL_CODES, term_id, TAX_ID, TAX_URI, AGE
CODES = set(ALL_CODES); BYID = {term_id(c): c for c in CODES}
data = json.load(open(sys.argv[1])); today = datetime.date(2026, 11, 22)
errs = []; ids = collections.Counter(); cnt = collections.Counter()
def E(p, m): errs.append("%s: %s" % (p, m))
def walk(o, p):
    if isinstance(o, dict):
        if "id" in o and isinstance(o["id"], str) and "link_type" not in o and "taxonomy_id" not in o: ids[o["id"], json.dumps(o, sort_keys=True)] += 0
        for k, v in o.items(): walk(v, p + "/" + k)
    elif isinstance(o, list):
        for i, v in enumerate(o): walk(v, "%s/%d" % (p, i))
def attrs_of(obj, p, entity):
    out = []
    for i, a in enumerate(obj.get("attributes", [])):
        ap = "%s/attributes/%d" % (p, i)
        code = BYID.get(a.get("taxonomy_term_id"))
        if not code: E(ap, "taxonomy_term_id not in the taxonomy"); continue
        t = a.get("taxonomy_term", {})
        if t.get("id") != a["taxonomy_term_id"] or t.get("code") != code or t.get("taxonomy_id") != TAX_ID or t.get("term_uri") != TAX_URI + "#" + code:
            E(ap, "embedded taxonomy_term disagrees with the taxonomy")
        if a.get("link_type") != code.split(".")[0]: E(ap, "link_type %r != dimension of %s" % (a.get("link_type"), code))
        if a.get("link_id") != obj["id"] or a.get("link_entity") != entity: E(ap, "link_id/link_entity wrong")
        if code.count(".") == 0: E(ap, "dimension root used as a value")
        out.append((code, a.get("value")))
    codes = [c for c, _ in out]
    for c, n in collections.Counter(codes).items():
        if n > 1: E(p, "attribute %s repeated" % c)
    for c, v in out:
        if c.startswith("translation.") and not (isinstance(v, str) and v.strip()): E(p, c + " without text")
        if c.startswith("translation.") and c.split(".")[1] not in obj and c.split(".")[1] != "alternate_name": E(p, c + " translates a field the object does not have")
        if c.startswith("translation_status.") and v not in ("draft", "reviewed"): E(p, c + " value must be draft|reviewed")
        if c.startswith("translation."):
            lang = c.split(".")[2]
            if "translation_status." + lang not in codes: E(p, "no translation_status for " + lang)
    return out
ENT = {"cost_options": "cost_option", "contacts": "contact", "required_documents": "required_document"}
levels = collections.Counter(); phases = collections.Counter(); langs = collections.Counter(); stale = []
for si, s in enumerate(data):
    p = "/%d" % si
    walk(s, p)
    A = attrs_of(s, p, "service"); codes = [c for c, _ in A]; val = dict(A)
    def dim(d): return [c.split(".", 1)[1] for c in codes if c.split(".")[0] == d]
    cl = dim("care_level"); il = dim("iasc_layer"); ph = dim("phase")
    if len(cl) != 1: E(p, "needs exactly one care_level")
    if len(il) != 1: E(p, "needs exactly one iasc_layer")
    if not ph: E(p, "needs a phase")
    if not dim("entry_route"): E(p, "needs an entry_route")
    if not dim("legal_status"): E(p, "needs a legal_status")
    if "no_limit" in dim("legal_status") and len(dim("legal_status")) > 1: E(p, "legal_status no_limit combined with others")
    caps = [c for c in dim("capacity") if c != "updated"]
    if len(caps) != 1: E(p, "needs exactly one capacity status")
    elif caps[0] == "waitlist" and not re.fullmatch(r"[0-9]{1,3}", val.get("capacity.waitlist") or ""): E(p, "waitlist needs weeks")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", val.get("capacity.updated") or ""): E(p, "capacity.updated needs a date")
    ip = dim("interpreter")
    if ("provided" in ip) == ("not_provided" in ip): E(p, "interpreter provided xor not_provided")
    if "provided" in ip and not [x for x in ip if x.startswith("mode.")]: E(p, "interpreter provided without mode")
    if "not_provided" in ip and [x for x in ip if x.startswith("mode.")]: E(p, "mode without interpreter")
    lo, hi = s.get("minimum_age"), s.get("maximum_age", 200)
    if lo is None: E(p, "minimum_age required by the profile")
    else:
        want = sorted(c for c, a, b in AGE if a <= hi and b >= lo)
        if sorted(dim("age_group")) != want: E(p, "age_group %s != derived %s" % (dim("age_group"), want))
    # cost per phase
    cph = collections.Counter()
    for ci, co in enumerate(s.get("cost_options", [])):
        cp = p + "/cost_options/%d" % ci
        CA = [c for c, _ in attrs_of(co, cp, "cost_option")]
        cph_ = [c.split(".")[1] for c in CA if c.startswith("phase.")]; cc = [c for c in CA if c.startswith("cost.")]
        if len(cph_) != 1 or len(cc) != 1: E(cp, "cost_option needs one phase and one cost")
        for x in cph_: cph[x] += 1
        if cc == ["cost.free"] and co.get("amount") not in (0, None): E(cp, "free but amount != 0")
        pay = [c for c in CA if c.startswith("interpreter.paid_by.")]
        if "provided" in ip and len(pay) != 1: E(cp, "interpreter provided: needs one paid_by per phase")
    if sorted(cph) != sorted(ph) or any(v != 1 for v in cph.values()): E(p, "one cost_option per phase served: %s vs %s" % (dict(cph), ph))
    roles = []
    for ci, co in enumerate(s.get("contacts", [])):
        roles += [c for c, _ in attrs_of(co, p + "/contacts/%d" % ci, "contact") if c.startswith("chain_role.")]
        if not co.get("phones") and not co.get("email"): E(p, "contact without phone or email")
    if not roles: E(p, "needs a contact with a chain_role")
    for ri, rd in enumerate(s.get("required_documents", [])): attrs_of(rd, p + "/required_documents/%d" % ri, "required_document")
    for f in ("name", "description", "application_process"):
        for l in ("en", "ar"):
            if "translation.%s.%s" % (f, l) not in codes: E(p, "missing %s in %s" % (f, l))
    if not s.get("assured_date") or not s.get("assurer_email"): E(p, "assured_date and assurer_email required by the profile")
    else:
        d = datetime.date.fromisoformat(s["assured_date"])
        if (today - d).days > 183: stale.append(s["name"])
    areas = [a.get("uri") for a in s.get("service_areas", [])]
    if not areas: E(p, "needs a service_area")
    for sal in s.get("service_at_locations", []):
        loc = sal["location"]
        if loc["location_type"] == "physical" and not (52.0 <= loc.get("latitude", 0) <= 52.2 and 5.0 <= loc.get("longitude", 0) <= 5.3): E(p, "coordinates outside the fictional box")
    # phone numbers must be fictional (010-000 0NNN) except the national 113/0800-0113/112
    def phones(o):
        if isinstance(o, dict):
            if "number" in o: yield o["number"]
            for v in o.values(): yield from phones(v)
        elif isinstance(o, list):
            for v in o: yield from phones(v)
    for n in phones(s):
        if not (re.fullmatch(r"010-000 0\d{3}", n) or n in ("113", "0800-0113", "112")): E(p, "phone not in the fictional range: " + n)
    for l in ("nl", "en", "ar"): langs[l] += 1 if (l == "nl" or "translation.name." + l in codes) else 0
    levels[cl[0] if cl else "?"] += 1
    for x in ph: phases[x] += 1
    cnt["fictief"] += ("fictief" in s["organization"]["name"])
# uniqueness: the same id must always denote the same object
seen = collections.defaultdict(set)
for (i, body) in ids: seen[i].add(body)
dups = [i for i, b in seen.items() if len(b) > 1]
if dups: E("/", "%d ids used for different objects" % len(dups))
print("services:", len(data)); print("levels:", dict(levels)); print("phases:", dict(phases)); print("text languages (name+description+application_process):", dict(langs))
print("organisations named (fictief):", cnt["fictief"], "of", len(data), "services; others:", sorted({s["organization"]["name"] for s in data if "fictief" not in s["organization"]["name"]}))
print("assured_date older than 6 months:", len(stale), stale)
caps = collections.Counter(next(c for c in (BYID.get(a["taxonomy_term_id"], "") for a in s["attributes"]) if c.startswith("capacity.") and c != "capacity.updated") for s in data)
print("capacity:", dict(caps))
print("errors:", len(errs)); [print("  " + e) for e in errs[:40]]
sys.exit(1 if errs else 0)

"""Writes ROWS consultations of one brand over one year as COPY text, for
scripts/bench-stats: countries, languages and verdicts skewed as real scans
are (France and Germany first, mostly genuine), 20 products, 400,000 seals
each, a random 16-byte visitor. Deterministic (seed 42).

Usage: stats-consultations.py BRAND_ID PRODUCT_IDS GTINS ROWS
(PRODUCT_IDS and GTINS comma-separated, in the same order)
"""
import random, sys, datetime
brand = sys.argv[1]; products = sys.argv[2].split(","); gtins = sys.argv[3].split(","); count = int(sys.argv[4])
rnd = random.Random(42)
countries = ["FR"] * 30 + ["DE"] * 20 + ["ES"] * 10 + ["IT"] * 8 + ["BE", "CH", "NL", "GB", "US", "US", "JP", "BR", "CA", "PL", "AT", "PT", "unknown"] * 2
languages = ["fr"] * 4 + ["en"] * 3 + ["de"] * 2 + ["es"]
verdicts = ["genuine_first"] * 50 + ["genuine_seen"] * 30 + ["suspicious"] * 5 + ["counterfeit"] * 8 + ["recalled", "inactive", "expired"] * 2
start = datetime.datetime(2025, 12, 1, tzinfo=datetime.timezone.utc).timestamp()
year = 365 * 86400
out = sys.stdout
for i in range(count):
    p = rnd.randrange(len(products))
    t = datetime.datetime.fromtimestamp(start + rnd.random() * year, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00")
    seal = 1_000_000 * (p + 1) + rnd.randrange(400_000)
    out.write(f"{t}\t{brand}\t{products[p]}\t{seal}\t{gtins[p]}\tS{seal}\t{rnd.choice(countries)}\t{rnd.choice(languages)}\t{rnd.choice(verdicts)}\t\\\\x{rnd.getrandbits(128):032x}\tqr\n")

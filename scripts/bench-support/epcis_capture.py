"""Captures one EPCIS 2.0 document of 10,000 events about the bench brand's
seals and prints `epcis_*` figures for scripts/bench.

The document is what a packing line and a warehouse send: 1,000 cartons of
nine units packed (AggregationEvent, applied one by one in event-time order)
and 9,000 units commissioned (ObjectEvent, applied as sets). It goes through
`/epcis/capture` like any client's, answered 202 and applied by a job; the
time runs from the POST to the job's end.
    epcis_capture.py BASE_URL KEY SEALS_FILE   (SEALS_FILE: "gtin serial" lines)
"""
import json
import sys
import time
import urllib.request

base, key, seals_file = sys.argv[1:4]
seals = [line.split() for line in open(seals_file) if line.strip()][:9000]
if len(seals) < 9000:
    sys.exit(f"need 9,000 seals, found {len(seals)}")


def check_digit(digits):
    total = sum(int(d) * (3 if (len(digits) - i) % 2 == 1 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def unit(gtin, serial):
    return f"https://id.gs1.org/01/{gtin}/21/{serial}"


events = []
for carton in range(1000):
    sscc = check_digit("0" + "9999999" + f"{carton:09d}")
    events.append({
        "type": "AggregationEvent", "eventID": f"urn:uuid:00000000-0000-4000-8000-{carton:012d}",
        "eventTime": "2027-01-10T08:00:00Z", "eventTimeZoneOffset": "+01:00", "action": "ADD",
        "parentID": f"https://id.gs1.org/00/{sscc}", "bizStep": "packing", "disposition": "in_progress",
        "childEPCs": [unit(g, s) for g, s in seals[carton * 9:carton * 9 + 9]],
    })
for index, (gtin, serial) in enumerate(seals):
    events.append({
        "type": "ObjectEvent", "eventID": f"urn:uuid:00000000-0000-4000-9000-{index:012d}",
        "eventTime": "2027-01-10T07:00:00Z", "eventTimeZoneOffset": "+01:00", "action": "OBSERVE",
        "epcList": [unit(gtin, serial)], "bizStep": "commissioning", "disposition": "active",
        "readPoint": {"id": f"https://id.gs1.org/414/{check_digit('999999900000')}"},
    })
body = json.dumps({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument",
    "schemaVersion": "2.0", "creationDate": "2027-01-10T09:00:00Z", "epcisBody": {"eventList": events},
}).encode()
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "GS1-EPCIS-Version": "2.0.0"}

start = time.monotonic()
with urllib.request.urlopen(urllib.request.Request(f"{base}/epcis/capture", data=body, headers=headers)) as answer:
    location = answer.headers["Location"]
accepted = time.monotonic() - start
status = {}
for _ in range(6000):
    with urllib.request.urlopen(urllib.request.Request(f"{base}{location}", headers=headers)) as answer:
        status = json.load(answer)
    if not status.get("running", True):
        break
    time.sleep(0.05)
seconds = time.monotonic() - start
if not status.get("success") or status.get("captured") != len(events):
    sys.exit(f"the capture ended {json.dumps(status)[:500]}")
print(f"epcis_document_mb={len(body) / 1e6:.1f}")
print(f"epcis_accepted_ms={accepted * 1000:.0f}")
print(f"epcis_capture_seconds={seconds:.1f}")
print(f"epcis_events_per_s={len(events) / seconds:.0f}")

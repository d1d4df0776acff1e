"""HL7 FHIR R4 (4.0.1) bridge for referral systems (Zorgdomein, VIP-live, Regicare).

Export: a referral and its feedback as a Bundle (type "collection") of
ServiceRequest, Task, a minimal Patient and a minimal Practitioner, after the
closed-loop referral pattern of the HL7 Gravity SDOH Clinical Care IG: the
ServiceRequest is the referral, the Task (focus = ServiceRequest) carries its
progress (Task.status / businessStatus) and outcome (Task.output). Import: such
a Bundle (or a ServiceRequest with its Patient contained) opens a professional
referral (source "api") through the referral core. Every resource is validated
with fhir.resources (pydantic 1 models of R4). The mapping is in docs/fhir.md.

No web or Rasa import. Contact details leave the database only in an export an
operator asks for (CLI `welzijnswijzer fhir export`); they are never logged.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from fhir.resources.bundle import Bundle
from fhir.resources.patient import Patient
from fhir.resources.practitioner import Practitioner
from fhir.resources.servicerequest import ServiceRequest
from fhir.resources.task import Task

from bot.handoff.crypto import Cipher
from bot.handoff.models import HandoffRequest
from bot.handoff.routing import TeamRouting
from bot.referral.core import SOURCE_API, ConsentGiven, NewReferral, Opened, SealedContact, open_referral

BASE = "https://welzijnswijzer.nl/fhir"
SYSTEM_REFERENCE = f"{BASE}/referentiecode"
SYSTEM_THEME = f"{BASE}/CodeSystem/thema"
SYSTEM_STATUS = f"{BASE}/CodeSystem/status"
SYSTEM_OUTCOME = f"{BASE}/CodeSystem/uitkomst"
SYSTEM_OUTPUT = f"{BASE}/CodeSystem/task-output"
SYSTEM_CONTACT_WAY = f"{BASE}/CodeSystem/contactweg"
SYSTEM_OTHER_HELP = f"{BASE}/CodeSystem/andere-hulp"
SYSTEM_ORG = f"{BASE}/verwijzende-organisatie"
SYSTEM_REFERRER = f"{BASE}/verwijzer"
SYSTEM_TEAM = f"{BASE}/team"
SYSTEM_GEMEENTE = "https://www.cbs.nl/gemeentecode"
EXT_MOMENT = f"{BASE}/StructureDefinition/voorkeursmoment"
EXT_CONSENT = f"{BASE}/StructureDefinition/toestemming"
EXT_ORG = f"{BASE}/StructureDefinition/verwijzende-organisatie"
# Gravity SDOH: the referral's category and the code of the service asked for.
SDOH_CATEGORY = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes",
    "sdoh-category-unspecified",
    "SDOH Category Unspecified",
)
SERVICE_CODE = (f"{BASE}/CodeSystem/dienst", "welzijn-op-recept", "Welzijn op Recept: welzijnscoach")

# Our status -> (ServiceRequest.status, Task.status) after the Gravity closed loop.
STATUS_MAP = {
    "nieuw": ("active", "requested"),
    "opgepakt": ("active", "accepted"),
    "in contact": ("active", "in-progress"),
    "afgerond": ("completed", "completed"),
    "niet bereikt": ("completed", "failed"),
}
OUTPUTS = (
    "uitkomst",
    "andere-hulp",
    "eerste-contact",
    "contactweg",
    "gesprekken",
    "activiteit",
    "terugkoppeling",
)


class FhirError(Exception):
    """The FHIR input cannot become a referral; `reason` says why (English, for the integrator)."""


def _coding(system: str, code: str, display: str | None = None) -> dict:
    return {k: v for k, v in {"system": system, "code": code, "display": display}.items() if v is not None}


def _date(moment) -> str | None:
    return moment.replace(microsecond=0).isoformat() + "+00:00" if moment else None


def export_bundle(
    request: HandoffRequest, cipher: Cipher, theme_labels: dict[str, str] | None = None
) -> dict:
    """The referral as a validated FHIR R4 Bundle (a JSON-ready dict)."""
    labels = theme_labels or {}
    ids = {
        kind: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/{kind}/{request.reference_code}"))
        for kind in ("Patient", "Practitioner", "ServiceRequest", "Task")
    }
    purged = request.contact_purged_at is not None
    name = None if purged else cipher.decrypt(request.name_encrypted)
    contact = None if purged else cipher.decrypt(request.contact_encrypted)
    note = None if purged else cipher.decrypt(request.note_encrypted)
    patient = {"resourceType": "Patient", "id": ids["Patient"]}
    if name:
        patient["name"] = [{"text": name}]
    if contact:
        patient["telecom"] = [
            {
                "system": "phone" if request.contact_route == "telefoon" else "email",
                "value": contact,
                "use": "home",
            }
        ]
    if request.gemeente_naam:
        patient["address"] = [{"district": request.gemeente_naam, "country": "NL"}]
    practitioner = {
        "resourceType": "Practitioner",
        "id": ids["Practitioner"],
        "identifier": [{"system": SYSTEM_ORG, "value": request.referrer_org_code or "inwoner"}],
    }
    if request.referrer_user_id:
        practitioner["identifier"].append({"system": SYSTEM_REFERRER, "value": str(request.referrer_user_id)})
    consent = request.consents[0] if request.consents else None
    sr_status, task_status = STATUS_MAP.get(request.status, ("active", "requested"))
    extensions = [{"url": EXT_MOMENT, "valueCode": request.preferred_moment}]
    if consent is not None:
        extensions.append(
            {
                "url": EXT_CONSENT,
                "extension": [
                    {"url": "versie", "valueString": consent.text_version},
                    {"url": "sha256", "valueString": consent.text_hash},
                    {"url": "kanaal", "valueCode": consent.channel},
                    {"url": "gegeven", "valueDateTime": _date(consent.given_at)},
                ],
            }
        )
    if request.referrer_org_code:
        extensions.append(
            {"url": EXT_ORG, "valueIdentifier": {"system": SYSTEM_ORG, "value": request.referrer_org_code}}
        )
    service_request = {
        "resourceType": "ServiceRequest",
        "id": ids["ServiceRequest"],
        "extension": extensions,
        "identifier": [{"system": SYSTEM_REFERENCE, "value": request.reference_code}],
        "status": sr_status,
        "intent": "order",
        "category": [{"coding": [_coding(*SDOH_CATEGORY)]}],
        "code": {"coding": [_coding(*SERVICE_CODE)]},
        "subject": {"reference": f"urn:uuid:{ids['Patient']}"},
        "requester": {"reference": f"urn:uuid:{ids['Practitioner']}"},
        "authoredOn": _date(request.created_at),
        "performer": [
            {
                "identifier": {"system": SYSTEM_TEAM, "value": request.team.code if request.team else ""},
                "display": request.team_naam,
            }
        ],
        "reasonCode": [{"coding": [_coding(SYSTEM_THEME, t, labels.get(t))]} for t in request.themes or []],
    }
    if request.gemeente_code:
        service_request["locationCode"] = [
            {"coding": [_coding(SYSTEM_GEMEENTE, request.gemeente_code, request.gemeente_naam)]}
        ]
    if note:
        service_request["note"] = [{"text": note}]
    outputs = []

    def output(code: str, **value) -> None:
        outputs.append({"type": {"coding": [_coding(SYSTEM_OUTPUT, code)]}, **value})

    if request.outcome:
        output("uitkomst", valueCodeableConcept={"coding": [_coding(SYSTEM_OUTCOME, request.outcome)]})
    if request.outcome_detail:
        output(
            "andere-hulp",
            valueCodeableConcept={"coding": [_coding(SYSTEM_OTHER_HELP, request.outcome_detail)]},
        )
    if request.first_contact_at:
        output("eerste-contact", valueDateTime=_date(request.first_contact_at))
    if request.contact_way:
        output(
            "contactweg", valueCodeableConcept={"coding": [_coding(SYSTEM_CONTACT_WAY, request.contact_way)]}
        )
    if request.conversations is not None:
        output("gesprekken", valueInteger=request.conversations)
    if request.activity:
        output("activiteit", valueString=request.activity)
    if request.feedback_encrypted and not purged:
        output("terugkoppeling", valueString=cipher.decrypt(request.feedback_encrypted))
    task = {
        "resourceType": "Task",
        "id": ids["Task"],
        "identifier": [{"system": SYSTEM_REFERENCE, "value": request.reference_code}],
        "basedOn": [{"reference": f"urn:uuid:{ids['ServiceRequest']}"}],
        "focus": {"reference": f"urn:uuid:{ids['ServiceRequest']}"},
        "for": {"reference": f"urn:uuid:{ids['Patient']}"},
        "status": task_status,
        "businessStatus": {"coding": [_coding(SYSTEM_STATUS, request.status)], "text": request.status},
        "intent": "order",
        "code": {"coding": [_coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill")]},
        "authoredOn": _date(request.created_at),
        "lastModified": _date(
            request.closed_at or request.feedback_at or request.first_contact_at or request.created_at
        ),
        "requester": {"reference": f"urn:uuid:{ids['Practitioner']}"},
        "owner": {
            "identifier": {"system": SYSTEM_TEAM, "value": request.team.code if request.team else ""},
            "display": request.team_naam,
        },
        "restriction": {"period": {"end": _date(request.contact_deadline)}},
    }
    if outputs:
        task["output"] = outputs
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in (service_request, task, patient, practitioner)
        ],
    }
    validate(bundle)
    return bundle


# Required bindings of R4 that fhir.resources does not enforce (it checks structure and types).
REQUIRED_CODES = {
    ("ServiceRequest", "status"): {
        "draft",
        "active",
        "on-hold",
        "revoked",
        "completed",
        "entered-in-error",
        "unknown",
    },
    ("ServiceRequest", "intent"): {
        "proposal",
        "plan",
        "directive",
        "order",
        "original-order",
        "reflex-order",
        "filler-order",
        "instance-order",
        "option",
    },
    ("Task", "status"): {
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    },
    ("Task", "intent"): {
        "unknown",
        "proposal",
        "plan",
        "order",
        "original-order",
        "reflex-order",
        "filler-order",
        "instance-order",
        "option",
    },
}


def validate(bundle: dict) -> None:
    """Raise FhirError unless every resource is valid FHIR R4: structure and types with
    fhir.resources, plus the required code bindings of the elements we read."""
    models = {
        "ServiceRequest": ServiceRequest,
        "Task": Task,
        "Patient": Patient,
        "Practitioner": Practitioner,
    }
    try:
        Bundle.parse_obj(bundle)
        for entry in bundle.get("entry") or []:
            resource = entry.get("resource") or {}
            model = models.get(resource.get("resourceType"))
            if model is not None:
                model.parse_obj(resource)
    except Exception as exc:  # pydantic's ValidationError and FHIR type errors
        raise FhirError(f"not valid FHIR R4: {exc}") from exc
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") or {}
        for (kind, element), allowed in REQUIRED_CODES.items():
            if resource.get("resourceType") == kind and resource.get(element) not in allowed:
                raise FhirError(
                    f"not valid FHIR R4: {kind}.{element} {resource.get(element)!r} is not in its value set"
                )


@dataclass
class ImportedReferral:
    """What a ServiceRequest (with its Patient) says about a referral."""

    name: str
    contact: str
    contact_route: str
    preferred_moment: str
    gemeente_code: str | None
    gemeente_naam: str | None
    themes: list[str]
    note: str | None
    consent_version: str
    consent_hash: str
    referrer_org_code: str
    external_id: str
    outputs: dict = field(default_factory=dict)


def _ext(resource: dict, url: str) -> dict | None:
    return next((e for e in resource.get("extension") or [] if e.get("url") == url), None)


def read_bundle(bundle: dict) -> ImportedReferral:
    validate(bundle)
    resources = {}
    for entry in bundle.get("entry") or []:
        resource = entry["resource"]
        resources[entry.get("fullUrl") or f"{resource['resourceType']}/{resource.get('id')}"] = resource
    requests = [r for r in resources.values() if r["resourceType"] == "ServiceRequest"]
    if len(requests) != 1:
        raise FhirError("the Bundle must hold exactly one ServiceRequest")
    sr = requests[0]
    subject = (sr.get("subject") or {}).get("reference", "")
    patient = resources.get(subject) or next(
        (c for c in sr.get("contained") or [] if f"#{c.get('id')}" == subject), None
    )
    if patient is None or patient.get("resourceType") != "Patient":
        raise FhirError("ServiceRequest.subject must point to a Patient in the Bundle")
    name = next(
        (
            n.get("text") or " ".join([*(n.get("given") or []), n.get("family") or ""]).strip()
            for n in patient.get("name") or []
        ),
        "",
    )
    telecom = next((t for t in patient.get("telecom") or [] if t.get("system") in ("phone", "email")), None)
    if not name or telecom is None:
        raise FhirError("the Patient needs a name and a phone or email telecom")
    consent = _ext(sr, EXT_CONSENT)
    parts = {
        e["url"]: next(v for k, v in e.items() if k.startswith("value"))
        for e in (consent or {}).get("extension", [])
    }
    if not parts.get("versie") or not parts.get("sha256"):
        raise FhirError(f"the ServiceRequest needs the consent extension {EXT_CONSENT} (versie, sha256)")
    org = (_ext(sr, EXT_ORG) or {}).get("valueIdentifier", {}).get("value")
    if not org:
        raise FhirError(f"the ServiceRequest needs the referring organisation ({EXT_ORG})")
    location = next(
        (
            c
            for cc in sr.get("locationCode") or []
            for c in cc.get("coding") or []
            if c.get("system") == SYSTEM_GEMEENTE
        ),
        None,
    )
    identifier = next((i.get("value") for i in sr.get("identifier") or []), None) or sr.get("id") or ""
    task = next((r for r in resources.values() if r["resourceType"] == "Task"), None)
    outputs = {}
    for item in (task or {}).get("output") or []:
        code = item["type"]["coding"][0]["code"]
        value = next(v for k, v in item.items() if k.startswith("value"))
        outputs[code] = value["coding"][0]["code"] if isinstance(value, dict) and "coding" in value else value
    return ImportedReferral(
        name=name,
        contact=telecom["value"],
        contact_route="telefoon" if telecom["system"] == "phone" else "email",
        preferred_moment=(_ext(sr, EXT_MOMENT) or {}).get("valueCode") or "ochtend",
        gemeente_code=location.get("code") if location else None,
        gemeente_naam=location.get("display") if location else None,
        themes=[
            c["code"]
            for cc in sr.get("reasonCode") or []
            for c in cc.get("coding") or []
            if c.get("system") == SYSTEM_THEME
        ],
        note=next((n.get("text") for n in sr.get("note") or []), None),
        consent_version=str(parts["versie"]),
        consent_hash=str(parts["sha256"]),
        referrer_org_code=org,
        external_id=str(identifier),
        outputs=outputs,
    )


def import_bundle(
    session, bundle: dict, cipher: Cipher, routing: TeamRouting, channels: list[str], system: str = "fhir"
) -> Opened:
    """Open a professional referral (source "api") from a FHIR Bundle; idempotent per
    ServiceRequest identifier. Contact details are validated like the referral form's."""
    from bot.handoff import validation

    data = read_bundle(bundle)
    detail = validation.contact_detail(data.contact)
    name = validation.person_name(data.name)
    if detail is None or name is None:
        raise FhirError("the Patient's name or telecom is not valid")
    key = hashlib.sha256(f"{system}:{data.referrer_org_code}:{data.external_id}".encode()).hexdigest()[:40]
    return open_referral(
        session,
        NewReferral(
            source=SOURCE_API,
            actor=f"api:{system}"[:80],
            idempotency_key=f"fhir-{key}",
            sender_hash=hashlib.sha256(f"fhir:{key}".encode()).hexdigest(),
            channel="fhir",
            contact=SealedContact(
                cipher.encrypt(name),
                cipher.encrypt(detail.value),
                detail.route,
                cipher.encrypt(data.note) if data.note else None,
            ),
            preferred_moment=data.preferred_moment,
            gemeente_code=data.gemeente_code,
            gemeente_naam=data.gemeente_naam,
            themes=data.themes,
            referrer_org_code=data.referrer_org_code,
        ),
        ConsentGiven(data.consent_version, data.consent_hash, "fhir"),
        routing,
        channels,
    )


def dumps(bundle: dict) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=2)

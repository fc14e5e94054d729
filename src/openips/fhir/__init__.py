"""The FHIR R4 interface at /fhir/R4/, on the floor of the REST API and beside it.

A trust's clinical system sends referrals in (`ServiceRequest`), follows them back (`Task`) and
reads the employment summary its clinicians may see (`Patient`, `EpisodeOfCare`, `Encounter`,
`Observation`). Bodies are checked and built with the R4B models of `fhir.resources`, whose
shapes are those of R4 for every resource served here (docs/fhir.md, ADR 0032).

`routes.py` is the one table of what is served: the URLs and the CapabilityStatement
(`capability.py`) are both built from it. `http.py` signs callers in and words every error as an
OperationOutcome; `referrals.py` reads a referral (every problem at once) and `services.py`
saves it through the clients app; `queries.py` reads through the scoped queries and audits each
person read; `resources.py` turns records into FHIR resources.
"""

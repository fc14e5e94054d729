"""A client's record: the page that draws on every app below it (the person and their episodes,
contacts, jobs, vocational profiles and caseload prompts) to tell one person's story."""

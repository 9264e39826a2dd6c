// name: load_participation
// description: Link organisations to the deals they are party to.
// param rows: LIST<MAP>  {org, deal}
UNWIND $rows AS row
MATCH (o:Organization {id: row.org})
MATCH (d:Deal {id: row.deal})
MERGE (o)-[:PARTY_TO]->(d)

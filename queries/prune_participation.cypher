// name: prune_participation
// description: Each deal keeps only its current participants (a reload after an edit).
// param rows: LIST<MAP>  {deal, orgs: [organisation ids]}
UNWIND $rows AS row
MATCH (d:Deal {id: row.deal})<-[r:PARTY_TO]-(o:Organization)
WHERE NOT o.id IN row.orgs
DELETE r

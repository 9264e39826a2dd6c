// name: drop_stale_partnerships
// description: PARTNERS_WITH ties of the given organisations that no deal supports any more.
// param ids: LIST<STRING>  organisations whose ties to check
UNWIND $ids AS id
MATCH (x:Organization {id: id})-[t:PARTNERS_WITH]-(y:Organization)
WHERE NOT EXISTS { (x)-[:PARTY_TO]->(:Deal)<-[:PARTY_TO]-(y) }
DELETE t

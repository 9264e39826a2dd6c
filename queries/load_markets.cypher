// name: load_markets
// description: Airport-pair markets an organisation serves, with route counts.
// param rows: LIST<MAP>  {org, market, routes, codeshare_routes, seats, frequency}
UNWIND $rows AS row
MERGE (m:Market {id: row.market})
WITH m, row
MATCH (o:Organization {id: row.org})
MERGE (o)-[s:SERVES]->(m)
SET s.routes = row.routes, s.codeshare_routes = row.codeshare_routes, s.seats = row.seats,
    s.frequency = row.frequency

// name: load_partnerships
// description: Aggregated ties between organisations (from the smaller id to the larger).
// param rows: LIST<MAP>  {a, b, deals, weight, first_year, last_year, types}
UNWIND $rows AS row
MATCH (a:Organization {id: row.a})
MATCH (b:Organization {id: row.b})
MERGE (a)-[t:PARTNERS_WITH]->(b)
SET t.deals = row.deals, t.weight = row.weight, t.first_year = row.first_year,
    t.last_year = row.last_year, t.types = row.types

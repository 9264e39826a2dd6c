// name: load_deals
// description: Create or update deal records (dates as ISO text, stored as DATE).
// param rows: LIST<MAP>  {id, type, date, ended, status, source, count, weight}
UNWIND $rows AS row
MERGE (d:Deal {id: row.id})
SET d.type = row.type, d.status = row.status, d.source = row.source,
    d.count = row.count, d.weight = row.weight,
    d.date = CASE WHEN row.date IS NULL THEN null ELSE date(row.date) END,
    d.ended = CASE WHEN row.ended IS NULL THEN null ELSE date(row.ended) END

// name: load_organizations
// description: Create or update organisations by id (idempotent batches).
// param rows: LIST<MAP>  {id, props: {id, name, country, sector, kind, aliases, codes...}}
// SET o = props replaces every property with the current ones, so a code that vanished
// from the source (an IATA code no longer given) is removed, not kept for ever.
UNWIND $rows AS row
MERGE (o:Organization {id: row.id})
SET o = row.props

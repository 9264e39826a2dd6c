// name: load_organizations
// description: Create or update organisations.
// param rows: LIST<MAP>  {id, name, country, sector, kind, aliases, extra: {codes...}}
UNWIND $rows AS row
MERGE (o:Organization {id: row.id})
SET o += row.extra
SET o.name = row.name, o.country = row.country, o.sector = row.sector, o.kind = row.kind,
    o.aliases = row.aliases

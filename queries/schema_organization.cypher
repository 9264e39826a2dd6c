// name: schema_organization
// description: Organisation ids are unique.
CREATE CONSTRAINT graphkit_organization_id IF NOT EXISTS
FOR (o:Organization) REQUIRE o.id IS UNIQUE

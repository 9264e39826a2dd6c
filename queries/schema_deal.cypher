// name: schema_deal
// description: Deal ids are unique.
CREATE CONSTRAINT graphkit_deal_id IF NOT EXISTS
FOR (d:Deal) REQUIRE d.id IS UNIQUE

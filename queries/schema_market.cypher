// name: schema_market
// description: Market ids are unique.
CREATE CONSTRAINT graphkit_market_id IF NOT EXISTS
FOR (m:Market) REQUIRE m.id IS UNIQUE

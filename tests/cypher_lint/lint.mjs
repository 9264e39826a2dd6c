// Lint Cypher with Neo4j's own parser and semantic checker.
// stdin: JSON [{"file": ..., "query": ..., "parameters": {name: sample value}}]
// stdout: JSON [{"file": ..., "diagnostics": [{"message", "line", "column"}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';
import { readFileSync } from 'node:fs';

const items = JSON.parse(readFileSync(0, 'utf8'));
const out = items.map((item) => {
  const result = lintCypherQuery(item.query, { parameters: item.parameters });
  return {
    file: item.file,
    diagnostics: result.diagnostics.map((d) => ({
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(out));

// Writes the README's cdk-nag 3 blocks (```tsx nag3 fences: jsii-rosetta, which translates ```ts
// blocks, compiles against cdk-nag 2 and must leave them alone) as modules into a folder, for the
// consumer stage to compile against cdk-nag 3 (test/readme.test.ts compiles the ```ts blocks
// against the repository's cdk-nag 2, whose API differs). `from 'cdk-nag'` becomes the given
// module name (the consumer app installs cdk-nag 3 under an alias beside 2.x).
// Usage: node scripts/readme-nag3-snippets.js README.md <folder> [module name, default cdk-nag]
const fs = require('fs');
const path = require('path');

const [readme, folder, moduleName = 'cdk-nag'] = process.argv.slice(2);
const text = fs.readFileSync(readme, 'utf-8');
const blocks = [...text.matchAll(/^```tsx? nag3\n([\s\S]*?)^```/gm)].map((m) => m[1]);
if (blocks.length === 0) {
  console.error(`${readme} has no \`\`\`tsx nag3 block`);
  process.exit(1);
}
fs.mkdirSync(folder, { recursive: true });
blocks.forEach((code, i) => {
  fs.writeFileSync(path.join(folder, `nag3-${i}.ts`), code.replace(/from 'cdk-nag'/g, `from '${moduleName}'`) + '\nexport {};\n');
});
console.log(`${blocks.length} cdk-nag 3 block(s) of ${readme} written to ${folder}`);

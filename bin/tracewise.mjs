#!/usr/bin/env node
// The `tracewise` command. The CLI is TypeScript run directly by Node's type
// stripping (on by default since Node 22.18 / 23.6), so this launcher only
// checks the version and hands over to src/cli/main.ts.
const [major, minor] = process.versions.node.split('.').map(Number);
const strips = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
if (!strips) {
  process.stderr.write(
    `tracewise: needs Node.js 22.18 or newer to run its TypeScript sources (this is Node ${process.versions.node}).\n` +
      'tracewise: in this repository, run it with the Node that npm installed: PATH=node_modules/.bin:$PATH tracewise ...\n',
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

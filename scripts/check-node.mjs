// Fails fast when scripts run on an older Node than Parley pins. The pinned
// Node arrives with `npm install` (the `node` devDependency puts it first on
// the PATH of every npm script); installing with --ignore-scripts loses it.
const required = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < required) {
  console.error(
    `Parley needs Node ${required}+, but this is Node ${process.versions.node}. ` +
      'Run it through npm (npm start, npm test) after a plain `npm install`, without --ignore-scripts.',
  );
  process.exit(1);
}

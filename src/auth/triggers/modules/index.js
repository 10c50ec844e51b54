// Trigger entry point: runs the modules named in env MODULES (comma-delimited,
// e.g. "add-to-group,custom") one after another, each on the event the
// previous one returned, and returns the final event to Cognito.

const NAME = /^[A-Za-z0-9_-]+$/;

function moduleNames() {
  return (process.env.MODULES || '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

exports.handler = async (event, context) => {
  for (const name of moduleNames()) {
    // Only plain names: a module is a file of this folder.
    if (!NAME.test(name)) throw new Error(`MODULES: invalid module name '${name}'`);
    const mod = require(`./${name}`);
    const result = await mod.handler(event, context);
    if (result !== undefined) event = result;
  }
  return event;
};

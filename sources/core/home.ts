/**
 * This project's home. Every URL the plugin writes (SARIF links, the schema line `init` puts in a policy) derives
 * from it, so that a fork that publishes its own build changes this one line (README, "Getting the plugin").
 */
export const HOME_REPOSITORY = `yarn-plugin-provenance/yarn-plugin-provenance`;

/**
 * The project's own build configuration, written to `.output/preconfigured/`: the end-to-end test
 * of a preconfigured build (STOREWATCH_RELAY_URL, STOREWATCH_ENROL_CODE in the environment) builds
 * with it, so the regular `.output/chrome-mv3` the other tests load is left alone.
 */
import config from '../../../wxt.config.ts';

export default { ...config, outDir: '.output/preconfigured' };

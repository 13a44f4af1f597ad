import { w1Setup, compiledMicrograd, minimalMicrograd, minimalIdiomatic, eagerIdiomaticFit } from '../src/w1-micrograd-demo.js';
const setup = w1Setup(100);
function t(name: string, f: () => unknown) { const s = performance.now(); f(); console.log(name, (performance.now() - s).toFixed(1), 'ms'); }
for (let r = 0; r < 3; r++) { t('compiled', () => compiledMicrograd(setup)); t('fitc', () => eagerIdiomaticFit(setup, true)); }
const which = process.argv[2];
if (which === 'a') t('minimal a', () => minimalMicrograd(setup));
if (process.argv[3] === 'gc') t('gc', () => (globalThis as any).gc());
if (which === 'b') t('minimal b', () => minimalIdiomatic(setup));
for (let r = 0; r < 3; r++) { t('compiled', () => compiledMicrograd(setup)); t('fitc', () => eagerIdiomaticFit(setup, true)); }

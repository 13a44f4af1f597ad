import { w1Setup, compileW1, trainCompiled, minimalMicrograd } from '../src/w1-micrograd-demo.js';
const setup = w1Setup(100);
function t<T>(name: string, f: () => T): T { const s = performance.now(); const r = f(); console.log(name, (performance.now() - s).toFixed(1), 'ms'); return r; }
for (let r = 0; r < 4; r++) { const c = t('compile', () => compileW1(setup)); t('train', () => trainCompiled(setup, c)); }
if (process.argv[2] === 'a') t('minimal a', () => minimalMicrograd(setup));
for (let r = 0; r < 3; r++) { const c = t('compile', () => compileW1(setup)); t('train', () => trainCompiled(setup, c)); }

import { w1Setup, compiledMicrograd, minimalMicrograd, minimalIdiomatic, eagerMicrograd } from '../src/w1-micrograd-demo.js';
const setup = w1Setup(100);
function t<T>(name: string, f: () => T): T { const s = performance.now(); const r = f(); console.log(name, (performance.now() - s).toFixed(1), 'ms'); return r; }
const other0 = process.argv[2] === 'b' ? minimalIdiomatic : process.argv[2] === 'e' ? eagerMicrograd : minimalMicrograd;
const other = (s: typeof setup) => { const r = other0(s); if (process.argv[3] === 'gc') (globalThis as any).gc(); return r; };
for (let r = 0; r < 6; r++) { t('compiled', () => compiledMicrograd(setup)); t('other', () => other(setup)); }

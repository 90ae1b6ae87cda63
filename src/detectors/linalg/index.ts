export { symmetricEigen, type SymmetricEigen } from './symmetricEigen.ts';
export { tridiagonalEigen, tridiagonalTop, tridiagonalEigenvector } from './tridiagonal.ts';
export { sparseSymmetric, multiplySymmetric, type SparseSymmetric } from './sparseSymmetric.ts';
export { principalEigenvector, LanczosWorkspace, type PrincipalEigenOptions, type Eigenpair } from './principalEigenvector.ts';
export { principalLeftSingular, type LeftSingular } from './principalLeftSingular.ts';
export { normalQuantile } from './normalQuantile.ts';
export { logGamma, regularizedGammaP, regularizedGammaQ, gammaUpperQuantile } from './gamma.ts';
export { qStatisticThreshold, boxThreshold, residualMoments, type ResidualMoments } from './qStatistic.ts';
export { dot, norm, normalizeInPlace, axpy, resized, topIndices } from './vectorOps.ts';

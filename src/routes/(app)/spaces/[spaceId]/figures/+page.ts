// Figures, charts and GET forms: nothing here needs the app's scripts.
export const csr = false;

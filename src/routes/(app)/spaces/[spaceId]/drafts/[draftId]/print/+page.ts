// The printable page needs no JavaScript: it prints, and the server's
// Chromium renders it to PDF.
export const csr = false;

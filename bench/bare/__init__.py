"""The bare page: the least a Django page on this stack costs (one query, a 20-row template).
The portal's throughput is reported as a share of this page's, so the ratio says what the
portal adds, whatever the machine. Likewise the bare insert view (CSRF, a form, one INSERT, a
redirect) is the baseline of the portal's form submissions."""

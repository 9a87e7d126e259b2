"""AES-CRM: a multi-tenant CRM for UK dental and aesthetic clinics."""

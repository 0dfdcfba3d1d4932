/* PLACEHOLDER: the owner of this module replaces this file. */

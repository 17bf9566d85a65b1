package de.sid.verbund.billing.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund billing", description = "Metering of compute events, rating, invoices and "
        + "cost allocations; the SID as seller")
public @interface BillingConfig {
    String PID = "de.sid.verbund.billing";

    @AttributeDefinition(name = "Metering subscription", description = "Durable subscription to compute.events; nodes "
            + "with the same name share the events")
    String metering_subscription() default "billing.metering";

    @AttributeDefinition(name = "Demo price sheet", description = "Create a demo price sheet (VM-hours of the demo "
            + "offerings vm-s..vm-xl, disk GiB-months) on the first start of a database without any price sheet. Turn "
            + "off in production.")
    boolean demo_price_sheet() default true;

    @AttributeDefinition(name = "Monthly run check (s)", description = "How often the node checks whether the previous "
            + "month has had its scheduled run (it runs once per period across all nodes, on the 1st or at the first "
            + "check after it); at least 10")
    long run_check_s() default 3600;

    @AttributeDefinition(name = "Correction horizon (months)", description = "Usage that arrives for a FINAL period at "
            + "most this many months before the current one goes onto the next invoice as a correction line; older "
            + "usage is parked for review")
    int correction_horizon_months() default 3;

    @AttributeDefinition(name = "Month-to-date cache (s)", description = "How long the month-to-date costs of the "
            + "Prometheus gauge verbund_billing_month_to_date_cost_eur are kept before they are rated again")
    long month_to_date_cache_s() default 300;

    @AttributeDefinition(name = "SID authority id", description = "The id under which the SID's counter-entry "
            + "statement of internal cost allocations is kept")
    String sid_authority_id() default "sid";

    @AttributeDefinition(name = "SID cost centre", description = "The SID's cost centre: each month's internal cost "
            + "allocations are booked against it, so they net to zero")
    String sid_cost_centre() default "SID-1000";

    @AttributeDefinition(name = "Seller name", description = "Legal name of the seller (XRechnung BT-27)")
    String seller_name() default "Staatsbetrieb Sächsische Informatik Dienste";

    @AttributeDefinition(name = "Seller street", description = "Street and number (BT-35)")
    String seller_street() default "Riesaer Straße 7";

    @AttributeDefinition(name = "Seller post code", description = "Post code (BT-38)")
    String seller_postal_code() default "01129";

    @AttributeDefinition(name = "Seller city", description = "City (BT-37)")
    String seller_city() default "Dresden";

    @AttributeDefinition(name = "Seller country", description = "ISO 3166-1 alpha-2 (BT-40)")
    String seller_country() default "DE";

    @AttributeDefinition(name = "Seller VAT id", description = "VAT identifier (BT-31)")
    String seller_vat_id() default "DE123456789";

    @AttributeDefinition(name = "Seller e-mail", description = "Electronic address and contact e-mail (BT-34, BT-43)")
    String seller_email() default "rechnung@sid.sachsen.de";

    @AttributeDefinition(name = "Seller contact", description = "Contact person or department (BT-41)")
    String seller_contact() default "Leistungsverrechnung";

    @AttributeDefinition(name = "Seller phone", description = "Contact telephone (BT-42)")
    String seller_phone() default "+49 351 32600";

    @AttributeDefinition(name = "IBAN", description = "Account invoices are paid to (BT-84)")
    String iban() default "DE02120300000000202051";

    @AttributeDefinition(name = "BIC", description = "BIC of the account (BT-86)")
    String bic() default "BYLADEM1001";

    @AttributeDefinition(name = "Payment days", description = "Days from the issue date to the due date (BT-9)")
    int payment_days() default 30;

    @AttributeDefinition(name = "Payment terms", description = "Payment terms text (BT-20)")
    String payment_terms() default "Zahlbar innerhalb von 30 Tagen ohne Abzug";
}

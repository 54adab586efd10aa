{#
    Rows whose amount could not be converted to USD (no fx rate for that
    currency and month).  Apply to the *_usd column with the source amount
    column as argument; usually configured as a warning, since such a row
    still counts where money is not summed.
#}
{% test converted_to_usd(model, column_name, amount_column) %}

select *
from {{ model }}
where {{ amount_column }} is not null and {{ column_name }} is null

{% endtest %}

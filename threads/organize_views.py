from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from .queries import essays_with_counts


@login_required
@permission_required("threads.organize_spaces", raise_exception=True)
def space_list(request):
    return render(request, "organize/space_list.html", {"essays": essays_with_counts()})
